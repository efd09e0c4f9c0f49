// Shared main for the unit test programs: libsodium must be initialised
// before any test draws random bytes or hashes a password.
#include <gtest/gtest.h>

#include "core/crypto.hpp"

int main(int argc, char** argv) {
  staffroom::crypto::init();
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
