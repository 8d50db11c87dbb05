// SPDX-License-Identifier: MIT
// Node collateral as the Registry and the settlement contracts use it.
pragma solidity ^0.8.24;

interface ICollateral {
    /// @notice Records the initial collateral and commitment of freshly registered nodes
    /// `firstNodeId … firstNodeId + amounts.length − 1` and pulls the total from `payer`
    /// (who approved this contract). Registry only (PROTOCOL_ROLE); the Registry has already
    /// checked each amount against minCollateralPercent of the requirement.
    function depositInitial(
        address payer,
        uint256 firstNodeId,
        uint256[] calldata amounts,
        uint64[] calldata commitmentDurations
    ) external;

    /// @notice ICNT held as collateral for node `nodeId`.
    function collateralOf(uint256 nodeId) external view returns (uint256);
    /// @notice Requirement minus collateral (0 when fully collateralised).
    function shortfall(uint256 nodeId) external view returns (uint256);
    /// @notice Timestamp at which the node's commitment ends.
    function commitmentEnd(uint256 nodeId) external view returns (uint64);

    /// @notice Adds `amount` ICNT from `payer` to node `nodeId` (rewards diverted while
    /// under-collateralised). PROTOCOL_ROLE.
    function addCollateralFrom(address payer, uint256 nodeId, uint256 amount) external;
    /// @notice Adds `amount` ICNT that the caller has already transferred to this contract to node
    /// `nodeId`'s collateral (rewards diverted while under-collateralised). PROTOCOL_ROLE.
    function creditCollateral(uint256 nodeId, uint256 amount) external;
    /// @notice Takes up to `amount` of node `nodeId`'s collateral to the Treasury; returns what was
    /// taken (never more than the collateral). PROTOCOL_ROLE.
    function slash(uint256 nodeId, uint256 amount) external returns (uint256 taken);
}
