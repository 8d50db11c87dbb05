// SPDX-License-Identifier: MIT
// Delayed payouts of one account: a FIFO of {amount, unlock time} paid out once each entry has matured.
pragma solidity ^0.8.24;

/// @notice One delayed payout.
struct Payout {
    uint128 amount; // ICNT base units
    uint64 unlockTime; // timestamp from which it may be withdrawn
}

/// @notice The delayed payouts of one account and kind: entries [head, tail) are still owed.
struct PayoutQueue {
    uint64 head;
    uint64 tail;
    mapping(uint256 index => Payout) entries;
}

/// @title PayoutQueues
/// @notice Each claim appends one entry that unlocks exactly the delay after the claim, so a later claim
/// (which anyone may trigger) never postpones what is already waiting, and never lets new rewards skip
/// the delay. Entries are paid in order: `withdraw` stops at the first entry that has not matured (if
/// governance shortens the delay, a newer entry may wait for an older one: never paid early).
library PayoutQueues {
    /// @notice Appends `amount` unlocking at `unlockTime`; merges with the last entry when it unlocks at
    /// the same time (several claims in one block).
    function push(PayoutQueue storage q, uint128 amount, uint64 unlockTime) internal {
        uint64 tail = q.tail;
        if (tail > q.head) {
            Payout storage last = q.entries[tail - 1];
            if (last.unlockTime == unlockTime) {
                last.amount += amount;
                return;
            }
        }
        q.entries[tail] = Payout({amount: amount, unlockTime: unlockTime});
        q.tail = tail + 1;
    }

    /// @notice Removes up to `maxEntries` matured entries from the front and returns their sum.
    function popMatured(PayoutQueue storage q, uint256 timestamp, uint256 maxEntries)
        internal
        returns (uint256 amount, uint256 entries)
    {
        uint64 head = q.head;
        uint64 tail = q.tail;
        while (head < tail && entries < maxEntries) {
            Payout storage p = q.entries[head];
            if (p.unlockTime > timestamp) break;
            amount += p.amount;
            delete q.entries[head];
            ++head;
            ++entries;
        }
        q.head = head;
    }

    /// @notice The sum still owed and the part of it matured at `timestamp` (reads every entry: for views).
    function totals(PayoutQueue storage q, uint256 timestamp) internal view returns (uint256 owed, uint256 matured) {
        bool blocked;
        for (uint256 i = q.head; i < q.tail; ++i) {
            Payout storage p = q.entries[i];
            owed += p.amount;
            if (p.unlockTime > timestamp) blocked = true;
            if (!blocked) matured += p.amount;
        }
    }
}
