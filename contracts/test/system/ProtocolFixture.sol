// SPDX-License-Identifier: MIT
// Deploys and wires the whole protocol (as `icn deploy` does) for system, invariant and gas tests.
pragma solidity ^0.8.24;

import {Test} from "../utils/Test.sol";
import {Genesis} from "../utils/Genesis.sol";
import {ICNT} from "../../src/token/ICNT.sol";
import {Vesting} from "../../src/token/Vesting.sol";
import {ReservePool} from "../../src/token/ReservePool.sol";
import {Treasury} from "../../src/token/Treasury.sol";
import {EraManager} from "../../src/era/EraManager.sol";
import {ICNLink} from "../../src/link/ICNLink.sol";
import {Registry} from "../../src/registry/Registry.sol";
import {Collateral} from "../../src/collateral/Collateral.sol";
import {Delegation} from "../../src/collateral/Delegation.sol";
import {ScalerNodeParams} from "../../src/interfaces/IRegistry.sol";
import {ICollateral} from "../../src/interfaces/ICollateral.sol";
import {IReservePool} from "../../src/interfaces/IReservePool.sol";
import {IUnlockSchedule} from "../../src/interfaces/IUnlockSchedule.sol";
import {WAD} from "../../src/common/Units.sol";

abstract contract ProtocolFixture is Test {
    uint64 internal constant ERA_BLOCKS = 20;
    uint64 internal constant GENESIS_BLOCK = 100;
    uint256 internal constant TGE = 1_700_000_000;

    address internal governance = address(0x60F);
    // Allocation beneficiaries, in Vesting.Category order; NodeSale and RewardsReserve are set below.
    address internal team = address(0x7EA1);
    address internal investors = address(0x1417);
    address internal devCo = address(0xDEC0);
    address internal ecoDev = address(0xEC0D);
    address internal partners = address(0x9A27);

    Vesting internal vesting;
    ICNT internal icnt;
    ReservePool internal rewardsReserve;
    ReservePool internal linkRewardPool;
    Treasury internal treasury;
    EraManager internal eras;
    Registry internal registry;
    Collateral internal collateral;
    Delegation internal delegation;
    ICNLink internal links;

    uint32 internal regionId;
    uint32 internal classId;
    uint32 internal clusterId;

    function deployProtocol() internal {
        vm.warp(TGE);
        vm.roll(GENESIS_BLOCK);
        vm.startPrank(governance);
        // The pools need the token, which the Vesting constructor creates: the deployer holds the
        // NodeSale and RewardsReserve allocations until the pools exist, then hands them over
        // before anything can be released to it (docs/contracts/token.md).
        vesting =
            new Vesting(governance, uint64(TGE), [team, investors, devCo, ecoDev, partners, governance, governance]);
        icnt = ICNT(address(vesting.token()));
        rewardsReserve = new ReservePool(governance, icnt);
        linkRewardPool = new ReservePool(governance, icnt);
        vesting.setBeneficiary(Vesting.Category.NodeSale, address(linkRewardPool));
        vesting.setBeneficiary(Vesting.Category.RewardsReserve, address(rewardsReserve));
        treasury = new Treasury(governance, icnt);
        eras = new EraManager(governance, GENESIS_BLOCK, ERA_BLOCKS);
        registry = new Registry(governance);
        collateral = new Collateral(governance, icnt, registry, eras, address(treasury));
        delegation = new Delegation(
            governance, icnt, registry, eras, IReservePool(address(rewardsReserve)), IUnlockSchedule(address(vesting))
        );
        links = new ICNLink(governance, registry, eras);

        registry.setCollateral(ICollateral(address(collateral)));
        registry.grantRole(registry.PROTOCOL_ROLE(), address(collateral));
        collateral.grantRole(collateral.PROTOCOL_ROLE(), address(registry));
        rewardsReserve.grantRole(rewardsReserve.PROTOCOL_ROLE(), address(delegation));

        // The steps of Genesis.createEuwStorage, written out: calling that function here changes the
        // optimised code of ProtocolGasTest and so its gas snapshot (test_currentEra, +12 gas).
        regionId = registry.createRegion("EUW");
        classId = registry.createHardwareClass(Genesis.storageClassSpec("storage-s1"));
        registry.enableClassInRegion(
            regionId, classId, Genesis.economics(uint128(100 * WAD), 10_000, uint128(1_000_000 * WAD))
        );
        clusterId = registry.createCluster(regionId, classId, "FRA-1", uint128(28 * WAD / 10));
        vm.stopPrank();
    }
}
