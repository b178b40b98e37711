"""EU CBAM (Regulation (EU) 2023/956) specific embedded emissions of goods, rolled up through their precursors."""
