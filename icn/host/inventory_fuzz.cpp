// libFuzzer target for the host parsers (cpuinfo, meminfo, block device, NIC, nvidia-smi,
// statvfs capture): no crash, and what is accepted is consistent.
#include <cstdlib>

#include "icn/host/inventory.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  using namespace icn::host;
  switch (data[0] % 6) {
    case 0:
      if (auto cpu = parse_cpuinfo(text)) {
        if (cpu->threads == 0 || cpu->cores > cpu->threads || cpu->sockets == 0 ||
            cpu->model.empty()) {
          std::abort();
        }
      }
      break;
    case 1:
      if (auto mem = parse_meminfo(text); mem && *mem == 0) std::abort();
      break;
    case 2: {
      // size, rotational and model from three thirds of the input
      const size_t third = text.size() / 3;
      if (auto d = parse_block_device("sda", text.substr(0, third), text.substr(third, third),
                                      text.substr(2 * third));
          d && d->bytes % 512 != 0) {
        std::abort();
      }
      break;
    }
    case 3: {
      const size_t half = text.size() / 2;
      if (auto n = parse_net_interface("eth0", text.substr(0, half), "up", text.substr(half));
          n && n->mac.size() != 17) {
        std::abort();
      }
      break;
    }
    case 4:
      if (auto g = parse_nvidia_smi(text)) {
        for (const GpuInfo& gpu : *g) {
          if (gpu.name.empty() || gpu.memory_mib == 0) std::abort();
        }
      }
      break;
    case 5:
      if (auto p = parse_data_path_capture("/d", text); p && p->free_bytes > p->total_bytes) {
        std::abort();
      }
      break;
  }
  return 0;
}
