# Embeds the JSON-LD contexts under contexts/ (listed in contexts/index.json,
# URL -> file) into the binary, so that signing and verifying never fetch a
# context. Re-runs when a context or the index changes.
function(staffroom_embed_contexts dir out)
  file(GLOB context_files CONFIGURE_DEPENDS ${dir}/*.json ${dir}/*.jsonld)
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DDIR=${dir} -DOUT=${out} -P ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/GenerateContexts.cmake
    DEPENDS ${context_files} ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/GenerateContexts.cmake
    COMMENT "Embedding JSON-LD contexts")
endfunction()
