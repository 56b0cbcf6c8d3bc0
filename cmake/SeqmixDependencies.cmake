# Finds the toolchain that scripts/setup.sh installs: Halide 21 from the project virtualenv,
# and Debian's fmt, nlohmann-json, Boost.Program_options, GoogleTest, OpenBLAS.

if (NOT Halide_DIR AND NOT DEFINED ENV{Halide_DIR})
    find_program(SEQMIX_VENV_PYTHON python PATHS "${PROJECT_SOURCE_DIR}/.venv/bin" NO_DEFAULT_PATH)
    if (NOT SEQMIX_VENV_PYTHON AND SKBUILD)  # pip's isolated build environment has halide
        set(SEQMIX_VENV_PYTHON "${Python_EXECUTABLE}")
    endif ()
    if (SEQMIX_VENV_PYTHON)
        execute_process(COMMAND "${SEQMIX_VENV_PYTHON}" -c "import halide; print(halide.install_dir())"
                        OUTPUT_VARIABLE _halide_root OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE _rc)
        if (_rc EQUAL 0)
            list(APPEND CMAKE_PREFIX_PATH "${_halide_root}")
        endif ()
    endif ()
endif ()
find_package(Halide 21 REQUIRED COMPONENTS shared)

find_package(fmt REQUIRED)
# fmt's shared library where the build links: its header-only form compiles fmt's formatting core
# again in every one of the ~100 translation units that format (measured on runtime/src/gla.cpp:
# 9.8 s vs 3.7 s at -O3, 34 s vs 13 s under ASan). Binaries that must stand alone (static
# libstdc++ for the GPU host, the Python wheel) keep the header-only form: no libfmt.so there.
if (SEQMIX_STATIC_CXX OR SKBUILD)
    set(SEQMIX_FMT fmt::fmt-header-only)
else ()
    set(SEQMIX_FMT fmt::fmt)
endif ()
find_package(nlohmann_json 3 REQUIRED)
if (SEQMIX_STATIC_CXX)
    set(Boost_USE_STATIC_LIBS ON)  # the GPU host has no Boost
endif ()
find_package(Boost 1.74 REQUIRED COMPONENTS program_options)
find_package(Threads REQUIRED)
if (SEQMIX_TESTS)
    find_package(GTest REQUIRED)
endif ()
if (SEQMIX_CUDA)
    find_package(CUDAToolkit QUIET)
endif ()
