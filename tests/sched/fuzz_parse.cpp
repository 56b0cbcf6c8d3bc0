// libFuzzer target: parse() + resolve_params() + format() on arbitrary bytes must either succeed
// or throw sched::Error; anything else (crash, sanitizer report, other exception) is a bug.
// Whatever parses must also survive a format round trip unchanged.
// Build (clang only): cmake -DCMAKE_CXX_COMPILER=clang++ -DSEQMIX_FUZZ=ON ..; see CMakeLists.txt.
#include "lang/schedule.h"

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    std::string_view text(reinterpret_cast<const char *>(data), size);
    using namespace seqmix::sched;
    try {
        Schedule s = parse(text, "fuzz.sched");
        std::string f = format(s);
        Schedule again = parse(f, "fuzz.sched");
        if (!(again == s) || format(again) != f) {
            abort();  // the formatter lost or changed something
        }
        resolve_params(s);
        resolve_params(s, "a=1");
    } catch (const Error &) {
    }
    try {
        Condition c = parse_condition(text);
        evaluate(c, {{"T", 4096}, {"K", 64}, {"B", 0}});
    } catch (const Error &) {
    }
    return 0;
}
