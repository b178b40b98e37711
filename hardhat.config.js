// Hardhat 3 configuration. Compiles contracts/ offline with the solc-js build from node_modules and the
// same pinned settings as chain_tools/compile.py (SOLC_VERSION, EVM_VERSION, OPTIMIZER_RUNS).
import { defineConfig } from "hardhat/config";
import hardhatEthers from "@nomicfoundation/hardhat-ethers";
import hardhatEthersChaiMatchers from "@nomicfoundation/hardhat-ethers-chai-matchers";
import hardhatMocha from "@nomicfoundation/hardhat-mocha";
import hardhatNetworkHelpers from "@nomicfoundation/hardhat-network-helpers";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const solcVersion = require("solc/package.json").version;

export default defineConfig({
  plugins: [hardhatEthers, hardhatEthersChaiMatchers, hardhatMocha, hardhatNetworkHelpers],
  solidity: {
    version: solcVersion,
    path: require.resolve("solc/soljson.js"),
    settings: {
      evmVersion: "cancun",
      optimizer: { enabled: true, runs: 100000 },
    },
  },
  paths: {
    sources: "./contracts",
    tests: { mocha: "./tests/contracts" },
  },
  networks: {
    // `hardhat node` serves the network named "node": pin the chain id and hardfork (osaka caps tx gas).
    node: { type: "edr-simulated", chainId: 31337, hardfork: "prague" },
    default: { type: "edr-simulated", chainId: 31337, hardfork: "prague" },
  },
  test: { mocha: { timeout: 60000 } },
});
