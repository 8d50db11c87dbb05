// SPDX-License-Identifier: MIT
// Minimal forge cheatcode interface (npm's forge-std is a broken 2022 copy): only what our tests use.
pragma solidity ^0.8.24;

address constant VM_ADDRESS = address(uint160(uint256(keccak256("hevm cheat code"))));

interface Vm {
    // msg.sender control
    function prank(address sender) external;
    function startPrank(address sender) external;
    function stopPrank() external;
    // expectations on the next call
    function expectRevert() external;
    function expectRevert(bytes calldata revertData) external;
    // forge >= 1.0: expectRevert(bytes4) matches revert data that is exactly these 4 bytes (an error
    // without arguments); expectPartialRevert(bytes4) matches the selector of an error with arguments.
    function expectRevert(bytes4 revertSelector) external;
    function expectPartialRevert(bytes4 revertSelector) external;
    function expectEmit() external;
    function expectEmit(address emitter) external;
    function expectEmit(bool checkTopic1, bool checkTopic2, bool checkTopic3, bool checkData) external;
    function expectEmit(bool checkTopic1, bool checkTopic2, bool checkTopic3, bool checkData, address emitter)
        external;
    // chain environment
    function warp(uint256 newTimestamp) external;
    function roll(uint256 newHeight) external;
    function deal(address account, uint256 newBalance) external;
    function chainId(uint256 newChainId) external;
    function getBlockNumber() external view returns (uint256);
    function getBlockTimestamp() external view returns (uint256);
    function getNonce(address account) external view returns (uint64);
    function computeCreateAddress(address deployer, uint256 nonce) external pure returns (address);
    // storage and state
    function store(address target, bytes32 slot, bytes32 value) external;
    function load(address target, bytes32 slot) external view returns (bytes32);
    function snapshotState() external returns (uint256);
    function revertToState(uint256 snapshotId) external returns (bool);
    // logs
    struct Log {
        bytes32[] topics;
        bytes data;
        address emitter;
    }
    function recordLogs() external;
    function getRecordedLogs() external returns (Log[] memory);
    // keys and signatures (secp256k1)
    function sign(uint256 privateKey, bytes32 digest) external pure returns (uint8 v, bytes32 r, bytes32 s);
    function addr(uint256 privateKey) external pure returns (address);
    // gas measurement (setup work inside a gas test is left out of its snapshot)
    function pauseGasMetering() external;
    function resumeGasMetering() external;
    // fuzzing and traces
    function assume(bool condition) external pure;
    function label(address account, string calldata newLabel) external;
    function toString(uint256 value) external pure returns (string memory);
    // deployment from an artifact (keeps the creation code out of the calling test contract)
    function deployCode(string calldata artifactPath, bytes calldata constructorArgs)
        external
        returns (address deployedAddress);
}
