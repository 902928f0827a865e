# Install rules: the library with its export set (find_package(neardup) -> neardup::neardup),
# the public headers, the command, and neardup.pc for builds that do not use CMake.
include(CMakePackageConfigHelpers)

set(NEARDUP_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/neardup" CACHE STRING
    "Where neardupConfig.cmake is installed, relative to the prefix")

install(TARGETS neardup EXPORT neardupTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/neardup DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
if(TARGET neardup_cli)
  install(TARGETS neardup_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()

install(EXPORT neardupTargets NAMESPACE neardup:: DESTINATION ${NEARDUP_INSTALL_CMAKEDIR})
# Where cld2 was found here: a hint for neardupConfig.cmake, which looks for it again.
get_filename_component(NEARDUP_CLD2_LIBRARY_DIR "${CLD2_LIBRARY}" DIRECTORY)
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/neardupConfig.cmake.in
  ${PROJECT_BINARY_DIR}/neardupConfig.cmake INSTALL_DESTINATION ${NEARDUP_INSTALL_CMAKEDIR})
# 0.x: a new minor version may break the API, so only 0.1.* satisfies find_package(neardup 0.1).
write_basic_package_version_file(${PROJECT_BINARY_DIR}/neardupConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/neardupConfig.cmake ${PROJECT_BINARY_DIR}/neardupConfigVersion.cmake
        DESTINATION ${NEARDUP_INSTALL_CMAKEDIR})

# prefix relative to the .pc file's own folder, so that `cmake --install --prefix P` (which
# chooses the prefix after configuring) and a moved install tree both stay right.
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}" OR IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(NEARDUP_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
else()
  file(RELATIVE_PATH NEARDUP_PC_UP "/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")
  string(REGEX REPLACE "/$" "" NEARDUP_PC_UP "${NEARDUP_PC_UP}")
  set(NEARDUP_PC_PREFIX "\${pcfiledir}/${NEARDUP_PC_UP}")
endif()
cmake_path(APPEND NEARDUP_PC_LIBDIR "\${prefix}" "${CMAKE_INSTALL_LIBDIR}")
cmake_path(APPEND NEARDUP_PC_INCLUDEDIR "\${prefix}" "${CMAKE_INSTALL_INCLUDEDIR}")
set(NEARDUP_PC_CLD2 "-lcld2")
if(NOT NEARDUP_CLD2_LIBRARY_DIR IN_LIST CMAKE_CXX_IMPLICIT_LINK_DIRECTORIES)
  set(NEARDUP_PC_CLD2 "-L${NEARDUP_CLD2_LIBRARY_DIR} -lcld2")
endif()
configure_file(${CMAKE_CURRENT_LIST_DIR}/neardup.pc.in ${PROJECT_BINARY_DIR}/neardup.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/neardup.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
