// `icn node inventory`: this server's hardware inventory, fingerprint and (--bench) benchmarks
// (icn/host); and what `icn node register --from-inventory` takes from it.
#include "cmd/icn/inventory_commands.hpp"

#include <nlohmann/json.hpp>

#include "cmd/icn/commands.hpp"
#include "icn/chain/deployment.hpp"
#include "icn/chain/protocol_reader.hpp"
#include "icn/daemon/host_monitor.hpp"
#include "icn/host/benchmarks.hpp"
#include "icn/host/fingerprint.hpp"
#include "icn/infra/files.hpp"

namespace icn::cmd {
namespace {

struct InventoryCommandOptions {
  InventorySource source;
  bool bench = false;
  std::string bench_duration = "1500ms";
  uint64_t bench_file_mb = 256;
  bool json = false;
};
InventoryCommandOptions g_inventory;

// "250ms", "2s".
Result<std::chrono::milliseconds> parse_millis(const std::string& text) {
  std::string digits = text;
  int64_t scale = 1;
  if (digits.size() > 2 && digits.substr(digits.size() - 2) == "ms") {
    digits.resize(digits.size() - 2);
  } else if (!digits.empty() && digits.back() == 's') {
    digits.pop_back();
    scale = 1000;
  }
  auto n = parse_u256(digits);
  if (digits.empty() || !n || *n == 0 || *n > 60'000) {
    return fail("--bench-duration \"" + text + "\" is not a duration like 500ms or 2s");
  }
  return std::chrono::milliseconds(static_cast<int64_t>(*n) * scale);
}

std::string fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string describe(const host::HostInventory& inv, const Hash& fingerprint,
                     const std::optional<host::BenchmarkResults>& bench) {
  std::string out;
  auto line = [&](const std::string& key, const std::string& value) {
    out += key + std::string(key.size() < 14 ? 14 - key.size() : 1, ' ') + value + "\n";
  };
  line("cpu", inv.cpu.model + " (" + inv.cpu.arch + "): " + std::to_string(inv.cpu.sockets) +
                  " socket(s), " + std::to_string(inv.cpu.cores) + " cores, " +
                  std::to_string(inv.cpu.threads) + " threads");
  line("memory", host::format_gib(inv.memory_bytes));
  for (const host::DiskInfo& d : inv.disks) {
    line("disk " + d.name, host::format_tb(d.bytes) +
                               (d.rotational ? ", rotational" : ", solid state") +
                               (d.model.empty() ? "" : ", " + d.model));
  }
  if (inv.data_path) {
    line("data path", inv.data_path->path + ": " + host::format_tb(inv.data_path->total_bytes) +
                          ", " + host::format_tb(inv.data_path->free_bytes) + " free");
  }
  for (const host::NicInfo& n : inv.nics) {
    line("nic " + n.name, n.mac + ", " + n.operstate + ", " +
                              (n.speed_mbps ? std::to_string(*n.speed_mbps) + " Mb/s"
                                            : std::string("speed unknown")));
  }
  for (const host::GpuInfo& g : inv.gpus) {
    line("gpu", g.name + ", " + std::to_string(g.memory_mib) + " MiB");
  }
  line("fingerprint", to_hex(fingerprint));
  if (bench) {
    line("bench cpu", "keccak256 " + fixed(bench->cpu_keccak_mb_per_s, 0) + " MB/s");
    line("bench memory", "memcpy " + fixed(bench->memory_copy_gb_per_s, 2) + " GB/s");
    if (bench->disk) {
      line("bench disk", "write " + fixed(bench->disk->write_mb_per_s, 0) + " MB/s, read " +
                             fixed(bench->disk->read_mb_per_s, 0) + " MB/s, random 4 KiB read " +
                             fixed(bench->disk->random_read_iops, 0) + " IOPS" +
                             (bench->disk->direct_io ? " (O_DIRECT)" : " (buffered)"));
    }
  }
  for (const std::string& note : inv.notes) line("note", note);
  if (!out.empty()) out.pop_back();
  return out;
}

Result<std::string> run_inventory() {
  const InventoryCommandOptions& o = g_inventory;
  ICN_TRY(host::HostInventory inv, read_local_inventory(o.source));
  const Hash fingerprint = host::hardware_fingerprint(inv);
  std::optional<host::BenchmarkResults> bench;
  if (o.bench) {
    host::BenchmarkOptions b;
    ICN_TRY(b.duration, parse_millis(o.bench_duration));
    b.disk_file_bytes = o.bench_file_mb << 20;
    if (o.bench_file_mb == 0 || o.bench_file_mb > 16384) {
      return fail("--bench-file-mb must be between 1 and 16384");
    }
    b.data_path = o.source.data_path;  // captured trees are not benchmarked: their data path is
    if (!o.source.root.empty() && o.source.root != "/") b.data_path.clear();  // not here
    ICN_TRY(bench, host::run_benchmarks(b));
  }
  if (o.json) {
    nlohmann::json j = {{"inventory", host::to_json(inv)},
                        {"fingerprint", to_hex(fingerprint)},
                        {"benchmarks", bench ? host::to_json(*bench) : nlohmann::json(nullptr)}};
    return j.dump(2);
  }
  return describe(inv, fingerprint, bench);
}

}  // namespace

void add_inventory_source_options(CLI::App* command, InventorySource& source) {
  command->add_option("--root", source.root,
                      "where proc/ and sys/ are: / (default) or a tree captured by "
                      "icn/host/testdata/capture.sh");
  command->add_option("--data-path", source.data_path,
                      "the directory the node's capacity lives on (statvfs)");
}

Result<host::HostInventory> read_local_inventory(const InventorySource& source) {
  host::InventoryOptions o;
  if (!source.root.empty()) o.root = source.root;
  o.data_path = source.data_path;
  return host::read_inventory(o);
}

Result<InventoryFill> fill_from_inventory(const InventorySource& source, eth::RpcClient& rpc,
                                          const std::string& deployment_file,
                                          const std::string& artifacts_dir,
                                          const std::string& class_name) {
  if (source.data_path.empty()) {
    return fail("--from-inventory needs --data-path (the directory the capacity lives on)");
  }
  ICN_TRY(host::HostInventory inv, read_local_inventory(source));
  ICN_TRY(std::string text, infra::read_file(deployment_file, 1 << 20));
  ICN_TRY_CTX(chain::Deployment deployment, chain::Deployment::parse(text), deployment_file);
  std::filesystem::path artifacts = artifacts_dir;
  if (artifacts.empty()) {
    ICN_TRY(artifacts, build_artifacts_dir());
  }
  ICN_TRY(chain::ProtocolReader reader, chain::ProtocolReader::open(rpc, deployment, artifacts));
  ICN_TRY(uint64_t head, reader.head_block());
  ICN_TRY(std::optional<uint32_t> class_id, reader.hardware_class_id(class_name, head));
  if (!class_id) return fail("unknown hardware class \"" + class_name + "\"");
  ICN_TRY(chain::HardwareClassInfo info, reader.hardware_class(*class_id, head));
  const host::HardwareClass cls = daemon::to_host_class(info);
  std::optional<uint64_t> units = host::capacity_units_of(inv, cls);
  if (!units) {
    return fail("hardware class " + cls.name + " has no storage per " + cls.unit +
                ", so the capacity cannot come from the data path: give --capacity");
  }
  const std::string per_unit = std::to_string(cls.storage_tb_per_unit) + " TB per " + cls.unit;
  if (*units == 0) {
    return fail("data path " + inv.data_path->path + " holds " +
                host::format_tb(inv.data_path->total_bytes) + ", less than one " + cls.unit +
                " of class " + cls.name + " (" + per_unit + ")");
  }
  InventoryFill fill;
  fill.capacity = *units;
  fill.used.push_back("capacity " + std::to_string(*units) + " " + cls.unit + " from data path " +
                      inv.data_path->path + " (" + host::format_tb(inv.data_path->total_bytes) +
                      ", class " + cls.name + ": " + per_unit + ")");
  fill.used.push_back("hardware fingerprint " + to_hex(host::hardware_fingerprint(inv)));
  fill.findings = host::check_against_class(inv, cls, *units);
  return fill;
}

void add_inventory_command(CLI::App* node) {
  auto* inv = node->add_subcommand(
      "inventory",
      "This server's CPU, memory, disks, NICs and GPUs, its hardware fingerprint and "
      "(--bench) short benchmarks");
  InventoryCommandOptions& o = g_inventory;
  add_inventory_source_options(inv, o.source);
  inv->add_flag("--bench", o.bench,
                "run the benchmarks (CPU, memory; disk too with --data-path) at low priority");
  inv->add_option("--bench-duration", o.bench_duration, "cap of each benchmark, e.g. 500ms, 2s")
      ->capture_default_str();
  inv->add_option("--bench-file-mb", o.bench_file_mb, "size of the disk benchmark's file")
      ->capture_default_str();
  inv->add_flag("--json", o.json, "print it as JSON");
  inv->callback([] {
    auto r = run_inventory();
    if (!r) r = std::move(r).error().context("node inventory failed");
    emit(r);
  });
}

}  // namespace icn::cmd
