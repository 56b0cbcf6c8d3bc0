// The message of the seqmix::Error a call throws, for validation tests (as validation_test.cpp's
// own error_of): a test failure if it throws nothing or something else.
#pragma once

#include <seqmix/seqmix.h>

#include <gtest/gtest.h>

#include <exception>
#include <functional>
#include <string>

namespace seqmix::test {

inline std::string error_message(const std::function<void()> &call) {
    try {
        call();
    } catch (const seqmix::Error &e) {
        return e.what();
    } catch (const std::exception &e) {
        ADD_FAILURE() << "threw a std::exception that is not a seqmix::Error: " << e.what();
        return "";
    }
    ADD_FAILURE() << "did not throw";
    return "";
}

}  // namespace seqmix::test
