# Runs `podsim validate` on every scenario under DIR: each must load without error.
file(GLOB_RECURSE files ${DIR}/*.yaml)
foreach(f ${files})
  execute_process(COMMAND ${PODSIM} validate ${f} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "podsim validate ${f} failed (${rc}):\n${out}${err}")
  endif()
endforeach()
