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
