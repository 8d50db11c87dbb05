// A hardware fingerprint: keccak256 over a canonical text of the parts of a server that only
// change when its hardware does, so a fingerprint that moves means the box was changed (or
// swapped) — see docs/daemon.md "Hardware fingerprint".
#pragma once

#include <string>

#include "icn/core/bytes.hpp"
#include "icn/host/inventory.hpp"

namespace icn::host {

// The canonical encoding, one "key=value" line each, in this order:
//   icn-host-fingerprint/v1
//   cpu=<model>|<sockets>|<cores>|<threads>
//   memory_gib=<MemTotal rounded to the nearest GiB>
//   disk=<model>|<bytes>|<rotational 0/1>        (sorted; device names left out: they follow
//                                                 enumeration order)
//   nic=<mac>                                    (sorted; speed and link state left out)
//   gpu=<name>|<memory MiB>                      (sorted)
// The data path, free space, NIC speed/state and the notes are left out: they change without
// the hardware changing.
std::string fingerprint_text(const HostInventory& inventory);
Hash hardware_fingerprint(const HostInventory& inventory);

}  // namespace icn::host
