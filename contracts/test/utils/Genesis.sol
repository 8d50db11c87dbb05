// SPDX-License-Identifier: MIT
// The genesis network the test fixtures start from: class "storage-s1" enabled in region EUW, cluster FRA-1.
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Registry, HardwareClassSpec, RegionClassEconomics} from "../../src/registry/Registry.sol";
import {Collateral} from "../../src/collateral/Collateral.sol";
import {EraManager} from "../../src/era/EraManager.sol";
import {ICNT} from "../../src/token/ICNT.sol";

/// One place for the hardware class, economics and first cluster the fixtures set up. A fixture passes
/// the values it tunes (collateral requirement, capacity subsidy, cluster price) and keeps the rest.
library Genesis {
    /// The Registry with the real Collateral it deposits into, as the registry tests deploy them: ICNT
    /// minted to the calling test contract, 1,800-block eras from this block; the caller is admin of all.
    function deployRegistry(address treasury)
        internal
        returns (ICNT icnt, EraManager eras, Registry registry, Collateral collateral)
    {
        icnt = new ICNT(address(this));
        eras = new EraManager(address(this), uint64(block.number), 1_800);
        registry = new Registry(address(this));
        collateral = new Collateral(address(this), IERC20(address(icnt)), registry, eras, treasury);
        registry.setCollateral(collateral);
        collateral.grantRole(collateral.PROTOCOL_ROLE(), address(registry));
    }

    /// A storage class: 1 TB per capacity unit on a 16-vCPU, 64 GB, 12 × 20 TB, 25 Gbps server.
    function storageClassSpec(string memory name) internal pure returns (HardwareClassSpec memory) {
        return HardwareClassSpec({
            name: name,
            capacityUnit: "TB",
            storageTbPerUnit: 1,
            vcpus: 16,
            ramGb: 64,
            disks: 12,
            diskTb: 20,
            nicGbps: 25
        });
    }

    /// Economics with the default release schedule (1,440 days) and protocol margin (25 %).
    function economics(uint128 collateralReqPerUnit, uint128 targetCapacity, uint128 maximumBootstrapRelease)
        internal
        pure
        returns (RegionClassEconomics memory)
    {
        return RegionClassEconomics({
            collateralReqPerUnit: collateralReqPerUnit,
            targetCapacity: targetCapacity,
            releaseSchedule: 1440 days,
            maximumBootstrapRelease: maximumBootstrapRelease,
            protocolMargin: 25e18
        });
    }

    /// Creates region "EUW" and class "storage-s1", enables the class there with `e` and creates cluster
    /// "FRA-1" with `maxPrice`; the calls come from the calling test contract (it needs the registry roles).
    function createEuwStorage(Registry registry, RegionClassEconomics memory e, uint128 maxPrice)
        internal
        returns (uint32 regionId, uint32 classId, uint32 clusterId)
    {
        regionId = registry.createRegion("EUW");
        classId = registry.createHardwareClass(storageClassSpec("storage-s1"));
        registry.enableClassInRegion(regionId, classId, e);
        clusterId = registry.createCluster(regionId, classId, "FRA-1", maxPrice);
    }
}
