# Writes OUTPUT, a header defining NACRE_VERSION as the source tree's commit, with "-dirty" when the sources
# that build nacre (src/, cmake/, CMakeLists.txt) differ from it ("unknown" outside a git checkout); it is
# rewritten only when that changed, so nothing rebuilds without need. Run at every build:
#   cmake -DSOURCE_DIR=.. -DOUTPUT=.. -P write_version.cmake
execute_process(COMMAND git rev-parse --short=7 HEAD
  WORKING_DIRECTORY ${SOURCE_DIR} OUTPUT_VARIABLE version OUTPUT_STRIP_TRAILING_WHITESPACE
  RESULT_VARIABLE failed ERROR_QUIET)
if(failed OR NOT version)
  set(version unknown)
else()
  execute_process(COMMAND git diff --quiet HEAD -- src cmake CMakeLists.txt
    WORKING_DIRECTORY ${SOURCE_DIR} RESULT_VARIABLE changed ERROR_QUIET)
  if(changed)
    set(version ${version}-dirty)
  endif()
endif()
set(header "#pragma once\n#define NACRE_VERSION \"${version}\"\n")
if(EXISTS ${OUTPUT})
  file(READ ${OUTPUT} old)
endif()
if(NOT old STREQUAL header)
  file(WRITE ${OUTPUT} "${header}")
endif()
