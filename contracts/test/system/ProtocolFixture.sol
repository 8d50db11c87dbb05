// SPDX-License-Identifier: MIT
// Deploys and wires the whole protocol (as scripts/run-local does) for system, market, settlement, invariant
// and gas tests, with the helpers they share: funding accounts, Hardware Providers, committee-signed eras.
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
import {CapacityMarket} from "../../src/market/CapacityMarket.sol";
import {RewardPolicy} from "../../src/market/RewardPolicy.sol";
import {Settlement} from "../../src/settlement/Settlement.sol";
import {ICollateral} from "../../src/interfaces/ICollateral.sol";
import {IReservePool} from "../../src/interfaces/IReservePool.sol";
import {IUnlockSchedule} from "../../src/interfaces/IUnlockSchedule.sol";
import {WAD} from "../../src/common/Units.sol";

abstract contract ProtocolFixture is Test {
    uint64 internal constant ERA_BLOCKS = 20;
    uint64 internal constant GENESIS_BLOCK = 100;
    uint256 internal constant TGE = 1_700_000_000;
    /// The satellite committee of the tests: COMMITTEE_SIZE test keys from COMMITTEE_KEY0 on, COMMITTEE_THRESHOLD of
    /// which must sign an era (DESIGN §11's devnet has 2 of 3; 3 of 5 also exercises non-signing members).
    uint256 internal constant COMMITTEE_SIZE = 5;
    uint8 internal constant COMMITTEE_THRESHOLD = 3;
    uint256 internal constant COMMITTEE_KEY0 = 0xC0DE01;

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

    // Declared after the ids so that the layout above (links packed with the three ids) stays as the gas tests
    // measured it; whole slots only, so that nothing a test declares packs differently either.
    CapacityMarket internal market;
    Settlement internal settlement;
    RewardPolicy internal policy;
    /// The committee's private keys and addresses (members[i] = vm.addr(committeeKeys[i])).
    uint256[] internal committeeKeys;
    address[] internal members;

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
        // Deployed from their artifacts, not with `new`: embedding their creation code changes the optimised code
        // of every test contract built on this fixture, and so the gas the gas tests measure (ProtocolGasTest).
        market = CapacityMarket(
            vm.deployCode(
                "CapacityMarket.sol:CapacityMarket",
                abi.encode(governance, icnt, registry, collateral, eras, address(treasury))
            )
        );
        // Settlement takes the market in its constructor; the market takes Settlement once afterwards.
        settlement = Settlement(
            vm.deployCode(
                "Settlement.sol:Settlement",
                abi.encode(
                    governance,
                    icnt,
                    eras,
                    registry,
                    collateral,
                    delegation,
                    market,
                    rewardsReserve,
                    linkRewardPool,
                    links,
                    uint64(0)
                )
            )
        );
        policy = RewardPolicy(
            vm.deployCode(
                "RewardPolicy.sol:RewardPolicy",
                abi.encode(governance, registry, collateral, delegation, market, uint64(TGE))
            )
        );

        // The grants and links of scripts/run-local, in its order.
        registry.setCollateral(ICollateral(address(collateral)));
        registry.grantRole(registry.PROTOCOL_ROLE(), address(collateral)); // markOffboarded on exit
        registry.grantRole(registry.PROTOCOL_ROLE(), address(market)); // markBooked / markUnbooked
        collateral.grantRole(collateral.PROTOCOL_ROLE(), address(registry)); // depositInitial at registration
        collateral.grantRole(collateral.PROTOCOL_ROLE(), address(settlement)); // diversion into collateral, slashes
        delegation.grantRole(delegation.PROTOCOL_ROLE(), address(settlement)); // delegators' share, slashes
        rewardsReserve.grantRole(rewardsReserve.PROTOCOL_ROLE(), address(delegation)); // APY payouts
        rewardsReserve.setSpender(address(settlement), type(uint256).max); // capacity subsidy (claims)
        linkRewardPool.setSpender(address(settlement), type(uint256).max); // Link rewards (claims)
        delegation.setTreasury(address(treasury)); // slashed delegations go where slashed collateral goes
        market.setSettlement(settlement);
        for (uint256 i = 0; i < COMMITTEE_SIZE; ++i) {
            committeeKeys.push(COMMITTEE_KEY0 + i);
            members.push(vm.addr(COMMITTEE_KEY0 + i));
        }
        settlement.setCommittee(members, COMMITTEE_THRESHOLD);
        // Devnet delays, as run-local (the production defaults are tested on their own).
        settlement.setHpClaimDelay(0);
        settlement.setLinkClaimWait(0);

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

    // ---------------------------------------------------------------- accounts

    /// Pays `account` `amount` ICNT from the EcoDev allocation (released when its holder runs short: 35M at TGE).
    function fund(address account, uint256 amount) internal {
        if (icnt.balanceOf(ecoDev) < amount) vesting.release(Vesting.Category.EcoDev);
        vm.prank(ecoDev);
        icnt.transfer(account, amount);
    }

    /// Pays `account` `amount` ICNT and lets `spender` take all of it.
    function fundAndApprove(address account, uint256 amount, address spender) internal {
        fund(account, amount);
        vm.prank(account);
        icnt.approve(spender, type(uint256).max);
    }

    /// Registers `account` as a Hardware Provider whose collateral the Collateral contract may take.
    function becomeHp(address account) internal {
        vm.startPrank(account);
        registry.registerHardwareProvider();
        icnt.approve(address(collateral), type(uint256).max);
        vm.stopPrank();
    }

    // ---------------------------------------------------------------- committed eras

    /// The data root the tests commit with era `era`'s results.
    function dataRootOf(uint64 era) internal pure returns (bytes32) {
        return keccak256(abi.encode("data", era));
    }

    /// Signatures over `digest` of COMMITTEE_THRESHOLD members: every other one (0, 2, 4 of 5).
    function committeeSignatures(bytes32 digest) internal view returns (bytes[] memory sigs) {
        sigs = new bytes[](COMMITTEE_THRESHOLD);
        for (uint256 i = 0; i < COMMITTEE_THRESHOLD; ++i) {
            (uint8 v, bytes32 r, bytes32 s) = vm.sign(committeeKeys[2 * i], digest);
            sigs[i] = abi.encodePacked(r, s, v);
        }
    }

    /// Commits `root` as era `era`'s results, signed by the committee (the era must have ended and be the next).
    function commitRoot(uint64 era, bytes32 root) internal {
        bytes32 dataRoot = dataRootOf(era);
        settlement.commitEra(era, root, dataRoot, committeeSignatures(settlement.eraResultDigest(era, root, dataRoot)));
    }
}
