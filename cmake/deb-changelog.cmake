# Run by cpack before it builds the .deb (CPACK_PRE_BUILD_SCRIPTS): adds the
# changelog.Debian.gz that Debian policy asks of every package, into the package only
# (a plain cmake --install gets none). The date is SOURCE_DATE_EPOCH when set (a
# reproducible package), else now.
set(doc ${CPACK_TEMPORARY_INSTALL_DIRECTORY}${CPACK_PACKAGING_INSTALL_PREFIX}/share/doc/cohortmatch)
if(NOT IS_DIRECTORY ${doc})
  message(FATAL_ERROR "deb-changelog.cmake: no ${doc} in the package tree")
endif()
string(TIMESTAMP date "%a, %d %b %Y %H:%M:%S +0000" UTC)
file(WRITE ${doc}/changelog.Debian
     "cohortmatch (${CPACK_PACKAGE_VERSION}-${CPACK_DEBIAN_PACKAGE_RELEASE}) unstable; urgency=medium\n\n"
     "  * Built by CPack from the cohortmatch ${CPACK_PACKAGE_VERSION} source tree\n"
     "    (cmake/package.cmake); the project's history is its git log.\n\n"
     " -- ${CPACK_PACKAGE_CONTACT}  ${date}\n")
execute_process(COMMAND gzip -9 -n -f ${doc}/changelog.Debian RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "deb-changelog.cmake: gzip failed")
endif()
