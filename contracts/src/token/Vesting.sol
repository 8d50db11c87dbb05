// SPDX-License-Identifier: MIT
// The ICNT allocation table (spec §8.2) and its unlock schedules (§8.3); holds the supply until released.
pragma solidity ^0.8.24;

import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {ProtocolRoles} from "../common/ProtocolRoles.sol";
import {ICNT_TOTAL_SUPPLY, MONTH, WAD} from "../common/Units.sol";
import {DegressiveCurve} from "../common/DegressiveCurve.sol";
import {IUnlockSchedule} from "../interfaces/IUnlockSchedule.sol";
import {ICNT} from "./ICNT.sol";

/// @title Vesting
/// @notice Deploys ICNT so the whole 700M supply lands here atomically, then releases each allocation
/// category to its beneficiary along a fixed schedule (months of 30 days from the TGE timestamp):
/// an amount released at TGE, then either a linear stream from `tge + startOffset` over `duration`,
/// or (Node Sale) a degressive stream whose monthly slice shrinks by one step every month.
/// @dev The table is code, not storage: it cannot be changed after deployment. Only the beneficiary
/// address of each category is stored (and may be handed over by the current beneficiary).
contract Vesting is IUnlockSchedule, ProtocolRoles, ReentrancyGuardTransient {
    using SafeERC20 for ICNT;

    /// The seven allocation categories of spec §8.2, in the documented order.
    enum Category {
        Team,
        Investors,
        DevCo,
        EcoDev,
        Partners,
        NodeSale,
        RewardsReserve
    }

    /// One category's row of the allocation table.
    /// @param name human-readable category name
    /// @param beneficiary receives every release of this category
    /// @param amount total ICNT (base units) allocated to the category
    /// @param atTge part of `amount` unlocked at the TGE timestamp itself
    /// @param startOffset seconds after TGE at which the stream of `amount − atTge` begins (the cliff)
    /// @param duration seconds the stream lasts
    /// @param degressive false: linear stream; true: month m of n releases (n + 1 − m) / (n(n+1)/2)
    /// of the stream, linear within the month
    struct Schedule {
        string name;
        address beneficiary;
        uint256 amount;
        uint256 atTge;
        uint256 startOffset;
        uint256 duration;
        bool degressive;
    }

    uint256 internal constant CATEGORY_COUNT = 7;

    /// The ICNT token this contract deployed and holds the unreleased supply of.
    ICNT public immutable token;
    /// Token generation event: the timestamp every schedule counts from; nothing vests before it.
    uint64 public immutable tge;

    address[CATEGORY_COUNT] private _beneficiaries;
    uint256[CATEGORY_COUNT] private _released;

    /// `release` found nothing vested beyond what was already released.
    error NothingToRelease(Category category);
    /// Only the category's current beneficiary may name a new one.
    error NotBeneficiary(Category category, address caller, address beneficiary);
    /// The allocation table does not add up to the token's total supply (a build-time mistake).
    error AllocationMismatch(uint256 allocated, uint256 totalSupply);

    /// `amount` ICNT of `category` was paid to `beneficiary`.
    event Released(Category indexed category, address indexed beneficiary, uint256 amount);
    /// The beneficiary of `category` changed from `previous` to `current`.
    event BeneficiaryChanged(Category indexed category, address indexed previous, address indexed current);

    /// @param admin receives the ProtocolRoles (EMERGENCY may pause `release` and `setBeneficiary`)
    /// @param tge_ the TGE timestamp (may lie in the past or the future)
    /// @param beneficiaries one address per Category, in enum order; none may be zero
    constructor(address admin, uint64 tge_, address[CATEGORY_COUNT] memory beneficiaries) ProtocolRoles(admin) {
        tge = tge_;
        uint256 allocated;
        for (uint256 i = 0; i < CATEGORY_COUNT; ++i) {
            if (beneficiaries[i] == address(0)) revert ZeroAddress();
            _beneficiaries[i] = beneficiaries[i];
            emit BeneficiaryChanged(Category(i), address(0), beneficiaries[i]);
            (uint256 amount,,,,) = _table(Category(i));
            allocated += amount;
        }
        if (allocated != ICNT_TOTAL_SUPPLY) revert AllocationMismatch(allocated, ICNT_TOTAL_SUPPLY);
        token = new ICNT(address(this));
    }

    // ---------------------------------------------------------------- releases

    /// @notice Pays everything vested and not yet released of `category` to its beneficiary.
    /// Anyone may call; the tokens always go to the stored beneficiary.
    /// @param category the allocation category
    /// @return amount ICNT paid
    function release(Category category) external whenNotPaused nonReentrant returns (uint256 amount) {
        amount = releasable(category);
        if (amount == 0) revert NothingToRelease(category);
        uint256 i = uint256(category);
        _released[i] += amount;
        address to = _beneficiaries[i];
        emit Released(category, to, amount);
        token.safeTransfer(to, amount);
    }

    /// @notice Hands the category over to `newBeneficiary`; only the current beneficiary may call.
    /// Tokens already vested but not released go to the new beneficiary at the next `release`.
    /// @param category the allocation category
    /// @param newBeneficiary the new receiver of releases (non-zero)
    function setBeneficiary(Category category, address newBeneficiary) external whenNotPaused {
        uint256 i = uint256(category);
        address current = _beneficiaries[i];
        if (msg.sender != current) revert NotBeneficiary(category, msg.sender, current);
        if (newBeneficiary == address(0)) revert ZeroAddress();
        _beneficiaries[i] = newBeneficiary;
        emit BeneficiaryChanged(category, current, newBeneficiary);
    }

    // ---------------------------------------------------------------- views

    /// @notice ICNT of `category` unlocked at `timestamp` (released or not).
    /// @param category the allocation category
    /// @param timestamp any time; before TGE the result is 0, from the schedule's end on the full amount
    /// @return ICNT (base units)
    function vested(Category category, uint256 timestamp) public view returns (uint256) {
        if (timestamp < tge) return 0;
        (uint256 amount, uint256 atTge, uint256 startOffset, uint256 duration, bool degressive) = _table(category);
        uint256 start = tge + startOffset;
        if (timestamp >= start + duration) return amount; // exactly the amount at and after the end
        if (timestamp <= start) return atTge;
        uint256 stream = amount - atTge;
        uint256 elapsed = timestamp - start;
        uint256 streamed =
            degressive ? DegressiveCurve.streamed(stream, elapsed, duration) : Math.mulDiv(stream, elapsed, duration);
        return atTge + streamed;
    }

    /// @notice ICNT of `category` already paid out.
    /// @param category the allocation category
    /// @return ICNT (base units)
    function released(Category category) external view returns (uint256) {
        return _released[uint256(category)];
    }

    /// @notice ICNT of `category` that `release` would pay now.
    /// @param category the allocation category
    /// @return ICNT (base units)
    function releasable(Category category) public view returns (uint256) {
        return vested(category, block.timestamp) - _released[uint256(category)];
    }

    /// @notice Total Unlocked Supply (spec §8.3, §10.2): the sum of `vested` over every category.
    /// @param timestamp any time
    /// @return ICNT (base units); 0 before TGE, 700M from month 48 on
    function unlockedSupply(uint256 timestamp) external view returns (uint256) {
        uint256 sum;
        for (uint256 i = 0; i < CATEGORY_COUNT; ++i) {
            sum += vested(Category(i), timestamp);
        }
        return sum;
    }

    /// @notice The category's current beneficiary.
    /// @param category the allocation category
    /// @return the address releases are paid to
    function beneficiary(Category category) external view returns (address) {
        return _beneficiaries[uint256(category)];
    }

    /// @notice The full table row of `category`.
    /// @param category the allocation category
    /// @return s name, beneficiary, amount, part at TGE, stream start offset, duration, degressive flag
    function schedule(Category category) external view returns (Schedule memory s) {
        (s.amount, s.atTge, s.startOffset, s.duration, s.degressive) = _table(category);
        s.name = _name(category);
        s.beneficiary = _beneficiaries[uint256(category)];
    }

    // ---------------------------------------------------------------- the table

    /// The allocation table (spec §8.2 amounts, §8.3 windows; months of 30 days).
    /// @dev virtual only so a test harness can prove the constructor's sum check; the deployed
    /// contract is this one.
    function _table(Category c)
        internal
        pure
        virtual
        returns (uint256 amount, uint256 atTge, uint256 startOffset, uint256 duration, bool degressive)
    {
        if (c == Category.Team) return (154_700_000 * WAD, 0, 12 * MONTH, 24 * MONTH, false);
        if (c == Category.Investors) return (150_500_000 * WAD, 0, 12 * MONTH, 24 * MONTH, false);
        if (c == Category.DevCo) return (37_800_000 * WAD, 18_900_000 * WAD, 0, 24 * MONTH, false);
        if (c == Category.EcoDev) return (70_000_000 * WAD, 35_000_000 * WAD, 0, 24 * MONTH, false);
        if (c == Category.Partners) return (77_000_000 * WAD, 0, 0, 36 * MONTH, false);
        // Node Sale = the ICN Link reward pool: 15 % at TGE (the Links' initial distribution, spec §11),
        // the other 85 % degressive over 48 months.
        if (c == Category.NodeSale) return (140_000_000 * WAD, 21_000_000 * WAD, 0, 48 * MONTH, true);
        // Rewards Reserve: linear over the class release schedule of 1,440 days (spec §9, §12.2).
        return (70_000_000 * WAD, 0, 0, 48 * MONTH, false);
    }

    function _name(Category c) internal pure returns (string memory) {
        if (c == Category.Team) return "Team";
        if (c == Category.Investors) return "Investors";
        if (c == Category.DevCo) return "DevCo";
        if (c == Category.EcoDev) return "EcoDev Fund";
        if (c == Category.Partners) return "Partner Fund";
        if (c == Category.NodeSale) return "Node Sale";
        return "Rewards Reserve";
    }
}
