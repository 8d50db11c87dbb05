// A main() for the libFuzzer targets in ordinary builds: replays the files it is given, then runs
// a fixed number of deterministic pseudo-random inputs. It keeps every fuzz target compiling and
// exercised in `make test`; real coverage-guided fuzzing is `make fuzz` (clang, libFuzzer).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

uint64_t splitmix(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace

int main(int argc, char** argv) {
  size_t files = 0;
  for (int i = 1; i < argc; ++i) {
    std::ifstream in(argv[i], std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "cannot read %s\n", argv[i]);
      return 1;
    }
    std::vector<uint8_t> data{std::istreambuf_iterator<char>(in), {}};
    LLVMFuzzerTestOneInput(data.data(), data.size());
    ++files;
  }
  // Random bytes drawn from a small alphabet now and then, so text decoders see digits, brackets
  // and prefixes rather than only noise.
  static const char kAlphabet[] = "0x123456789abcdefABCDEF[](),\"-{}:80c0f8b9";
  const int runs =
      std::getenv("ICN_FUZZ_REPLAY_RUNS") ? std::atoi(std::getenv("ICN_FUZZ_REPLAY_RUNS")) : 20000;
  uint64_t state = 0x1c4;
  std::vector<uint8_t> buf;
  for (int i = 0; i < runs; ++i) {
    buf.resize(splitmix(state) % (i % 100 == 0 ? 4096 : 160));
    bool text = splitmix(state) % 2 == 0;
    for (auto& b : buf) {
      uint64_t r = splitmix(state);
      b = text ? uint8_t(kAlphabet[r % (sizeof(kAlphabet) - 1)]) : uint8_t(r);
    }
    LLVMFuzzerTestOneInput(buf.data(), buf.size());
  }
  std::printf("replayed %zu file(s) and %d generated inputs without a crash\n", files, runs);
  return 0;
}
