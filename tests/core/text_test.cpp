#include "core/text.h"

#include <gtest/gtest.h>

#include <string>

namespace campaign {
namespace {

TEST(Text, PlainTextIsUnchanged) {
  EXPECT_EQ(excerpt("graph.mean_degree"), "graph.mean_degree");
  EXPECT_EQ(excerpt("größe 5€ 🙂"), "größe 5€ 🙂");  // UTF-8 stays as it is
}

TEST(Text, ControlCharactersAndInvalidBytesAreEscaped) {
  EXPECT_EQ(excerpt("a\nb\rc\td"), "a\\nb\\rc\\td");
  EXPECT_EQ(excerpt(std::string("a\0b", 3)), "a\\x00b");
  EXPECT_EQ(excerpt("\x1b[31mred\x7f"), "\\x1B[31mred\\x7F");
  EXPECT_EQ(excerpt("\xff\xfe"), "\\xFF\\xFE");                 // never UTF-8
  EXPECT_EQ(excerpt("\xc3"), "\\xC3");                          // a sequence cut short
  EXPECT_EQ(excerpt("\xc0\xaf"), "\\xC0\\xAF");                 // overlong '/'
  EXPECT_EQ(excerpt("\xed\xa0\x80"), "\\xED\\xA0\\x80");        // a surrogate
  EXPECT_EQ(excerpt("\xc2\x9b" "2J"), "\\xC2\\x9B2J");          // C1 CSI, a terminal escape
}

TEST(Text, LongTextIsCutAtTheLimitWithAnEllipsis) {
  EXPECT_EQ(excerpt(std::string(60, 'x')), std::string(60, 'x'));
  EXPECT_EQ(excerpt(std::string(61, 'x')), std::string(60, 'x') + "…");
  EXPECT_EQ(excerpt("ééééé", 3), "ééé…");  // characters, not bytes
  EXPECT_EQ(excerpt("\n\n\n", 4), "\\n\\n…");  // an escape counts as what it prints
  const std::string huge(10'000'000, 'k');
  EXPECT_EQ(one_line(huge).size(), 300u + std::string("…").size());
}

}  // namespace
}  // namespace campaign
