# Embeds migrations/<dialect>/NNNN_name.sql into the binary so that a deployed
# `staffroom` needs no files beside it. Re-runs when a migration changes.
function(staffroom_embed_migrations dir out)
  file(GLOB sqlite_files CONFIGURE_DEPENDS ${dir}/sqlite/*.sql)
  file(GLOB pg_files CONFIGURE_DEPENDS ${dir}/postgres/*.sql)
  file(GLOB derived_files CONFIGURE_DEPENDS ${dir}/sqlite_derived/*.sql)
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DDIR=${dir} -DOUT=${out} -P ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/GenerateMigrations.cmake
    DEPENDS ${sqlite_files} ${pg_files} ${derived_files} ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/GenerateMigrations.cmake
    COMMENT "Embedding database migrations")
endfunction()
