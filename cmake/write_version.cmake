# Writes OUTPUT, a header defining NACRE_VERSION as the source tree's commit (`git describe --always
# --dirty`, "unknown" outside a git checkout), rewriting it only when the commit changed so that nothing
# rebuilds without need. Run at every build: cmake -DSOURCE_DIR=.. -DOUTPUT=.. -P write_version.cmake
execute_process(COMMAND git describe --always --dirty --abbrev=7
  WORKING_DIRECTORY ${SOURCE_DIR} OUTPUT_VARIABLE version OUTPUT_STRIP_TRAILING_WHITESPACE
  RESULT_VARIABLE failed ERROR_QUIET)
if(failed OR NOT version)
  set(version unknown)
endif()
set(header "#pragma once\n#define NACRE_VERSION \"${version}\"\n")
if(EXISTS ${OUTPUT})
  file(READ ${OUTPUT} old)
endif()
if(NOT old STREQUAL header)
  file(WRITE ${OUTPUT} "${header}")
endif()
