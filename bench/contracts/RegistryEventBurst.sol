// SPDX-License-Identifier: MIT
// Bench-only (never deployed outside bench/indexer_bench.cpp): emits the Registry's own events —
// the same signatures, so the indexer decodes them with Registry's ABI and projects them — tens
// of thousands per second of anvil time, which onboarding through the real contracts cannot.
pragma solidity ^0.8.24;

contract RegistryEventBurst {
    // Field for field the struct of contracts/src/interfaces/IRegistry.sol (the event's topic0
    // is computed from these types).
    struct ScalerNodeParams {
        string name;
        uint32 regionId;
        uint32 classId;
        uint32 clusterId;
        bytes3 location;
        uint128 capacity;
        uint128 reservationPrice;
        uint64 maxBookingDuration;
        uint128 nodeRewardShare;
        address daemon;
        uint256 collateralAmount;
        uint64 commitmentDuration;
    }

    event RegionCreated(uint32 indexed regionId, string name);
    event ClusterCreated(
        uint32 indexed clusterId, uint32 indexed regionId, uint32 indexed classId, string name, uint128 maxPrice
    );
    event HardwareProviderRegistered(uint32 indexed hpId, address indexed account);
    event ScalerNodeRegistered(
        uint256 indexed nodeId, uint32 indexed hpId, uint32 indexed clusterId, ScalerNodeParams params
    );
    event ScalerNodeValidated(uint256 indexed nodeId, uint32 indexed clusterId, uint128 capacity);
    event ScalerNodeBooked(uint256 indexed nodeId, uint64 activationEra);
    event ReservationPriceSet(uint256 indexed nodeId, uint128 reservationPrice);

    /// `regions` regions with `clustersPerRegion` clusters each (class 1), and `hps` HPs.
    function setup(uint256 regions, uint256 clustersPerRegion, uint256 hps) external {
        for (uint256 r = 1; r <= regions; ++r) {
            emit RegionCreated(uint32(r), "region");
            for (uint256 c = 0; c < clustersPerRegion; ++c) {
                emit ClusterCreated(uint32((r - 1) * clustersPerRegion + c + 1), uint32(r), 1, "cluster", 5e18);
            }
        }
        for (uint256 h = 1; h <= hps; ++h) {
            emit HardwareProviderRegistered(uint32(h), address(uint160(0x10000 + h)));
        }
    }

    /// Nodes firstId .. firstId+count-1, each registered, validated and repriced; every other
    /// one booked (3.5 events per node). Node i is in cluster i % clusters + 1, owned by HP
    /// i % hps + 1.
    function nodes(uint256 firstId, uint256 count, uint256 clusters, uint256 hps) external {
        for (uint256 id = firstId; id < firstId + count; ++id) {
            uint32 cluster = uint32(id % clusters + 1);
            uint32 regionId = uint32((cluster - 1) / 4 + 1);
            emit ScalerNodeRegistered(
                id,
                uint32(id % hps + 1),
                cluster,
                ScalerNodeParams({
                    name: "bench-node",
                    regionId: regionId,
                    classId: 1,
                    clusterId: 0,
                    location: "DEU",
                    capacity: 100,
                    reservationPrice: 1e18,
                    maxBookingDuration: 180 days,
                    nodeRewardShare: 10e18,
                    daemon: address(uint160(0x1000000 + id)),
                    collateralAmount: 1000e18,
                    commitmentDuration: 1095 days
                })
            );
            emit ScalerNodeValidated(id, cluster, 100);
            if (id % 2 == 0) emit ScalerNodeBooked(id, 5);
            emit ReservationPriceSet(id, uint128(1e18 + id));
        }
    }
}
