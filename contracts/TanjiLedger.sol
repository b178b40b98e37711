// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {TanjiDeclarations} from "./TanjiDeclarations.sol";
import {TanjiMembership} from "./TanjiMembership.sol";

/**
 * @title TanjiLedger
 * @dev The deployed trust anchor: membership registry and declaration anchoring in one contract, so that the
 * batch-anchoring hot path checks the anchorer's effective role with a single storage read. EIP-712 domain
 * ("Tanji", "1", chain id, this contract).
 */
contract TanjiLedger is TanjiDeclarations {
    /// @dev Deploys the ledger; the deployer becomes the first key of the operator organization `operatorOrg`.
    constructor(bytes32 operatorOrg, string memory operatorName)
        TanjiMembership(operatorOrg, operatorName)
        EIP712("Tanji", "1")
    {}
}
