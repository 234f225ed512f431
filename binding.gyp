# CPU build of the tensorgrad addon, run by `npm install` (node-gyp-build) when no
# prebuilt binary matches, and by `npm run build`. CMakeLists.txt (cmake-js) builds
# the same sources and can add csrc/cuda; keep the two in step.
{
  "targets": [
    {
      "target_name": "tensorgrad",
      # Every csrc/**/*.cpp except csrc/cuda/**.
      "sources": ["<!@(node scripts/gyp-sources.js)"],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")",
        "csrc",
        "<!@(node scripts/detect-blas.js --include-dirs)"
      ],
      "defines": [
        "NAPI_VERSION=8",
        "NAPI_CPP_EXCEPTIONS",
        "NODE_ADDON_API_DISABLE_DEPRECATED",
        # 'openblas 0.3.21 (/usr/lib/.../libopenblas.so)' or 'builtin'; the script also
        # reports the choice on stderr. TENSORGRAD_BLAS=none forces the built-in gemm.
        "TG_BLAS_NAME=\"<!(node scripts/detect-blas.js --name)\"",
        # TG_HAVE_CBLAS=1 TG_HAVE_OPENBLAS=1, or nothing.
        "<!@(node scripts/detect-blas.js --defines)"
      ],
      "libraries": ["<!@(node scripts/detect-blas.js --libs)"],
      # No -march=native: the binary must run on any x86-64. ISA-specific kernels
      # use function attributes (target("avx2,fma"), ...) and CPUID dispatch.
      # -fno-trapping-math: nothing reads floating-point exception flags, so GCC may compute
      # both sides of a select and vectorize it (leakyRelu's x > 0 ? x : x * slope went from a
      # branch per element to SSE selects). -fno-math-errno: nothing reads errno after libm
      # calls, so sqrt and friends compile to instructions. Neither changes a result.

      "cflags": ["-O3", "-Wall", "-Wextra", "-fvisibility=hidden", "-pthread", "-fno-trapping-math", "-fno-math-errno"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc": ["-std=c++17", "-fexceptions", "-frtti", "-fvisibility-inlines-hidden"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti", "-std=gnu++17", "-std=gnu++20"],
      "ldflags": ["-pthread"],
      "xcode_settings": {
        "GCC_ENABLE_CPP_EXCEPTIONS": "YES",
        "GCC_ENABLE_CPP_RTTI": "YES",
        "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
        "GCC_SYMBOLS_PRIVATE_EXTERN": "YES",
        "MACOSX_DEPLOYMENT_TARGET": "11.0",
        "OTHER_CFLAGS": ["-O3", "-Wall", "-Wextra"]
      },
      "msvs_settings": {
        "VCCLCompilerTool": {
          "ExceptionHandling": 1,
          "RuntimeTypeInfo": "true",
          "AdditionalOptions": ["/std:c++17", "/O2"]
        }
      }
    }
  ]
}
