# SPDX-License-Identifier: Apache-2.0
# Warnings and hardening live on an interface target that every hoshi target links PRIVATE.
add_library(hoshi_options INTERFACE)
target_compile_options(hoshi_options INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Woverloaded-virtual
  -Wimplicit-fallthrough -Wformat=2 -Werror=format-security
  -fstack-protector-strong -fcf-protection)
target_link_options(hoshi_options INTERFACE -Wl,-z,relro,-z,now)
if(HOSHI_WERROR)
  target_compile_options(hoshi_options INTERFACE -Werror -Wno-error=restrict
                                                 -Wno-error=maybe-uninitialized)
endif()
if(HOSHI_SANITIZE)
  target_compile_options(hoshi_options INTERFACE -fsanitize=address,undefined
                                                 -fno-omit-frame-pointer -D_GLIBCXX_ASSERTIONS)
  target_link_options(hoshi_options INTERFACE -fsanitize=address,undefined)
endif()
if(NOT CMAKE_BUILD_TYPE STREQUAL "Debug")
  target_compile_definitions(hoshi_options INTERFACE _FORTIFY_SOURCE=2)
endif()
