# The Debian package: `cpack -G DEB` in the build folder (README.md, "Installing").
# Runtime dependencies come from dpkg-shlibdeps (Debian packages dpkg-dev and file), so the
# Depends line names the libraries the binary links with their minimum versions.
set(CM_PACKAGE_CONTACT "cohortmatch maintainers <maintainers@users.noreply.r-seed-7cbfca0a.example>"
    CACHE STRING "Maintainer of the Debian package (name <address>)")

set(CPACK_PACKAGE_NAME cohortmatch)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT ${CM_PACKAGE_CONTACT})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "candidate precision-oncology trial cohorts from a tumour's molecular profile")
set(CPACK_PACKAGE_DESCRIPTION
    "cohortmatch reads VCF/BCF files annotated by Ensembl VEP, SnpEff or
bcftools csq, applies the rules of precision-oncology trial protocols (YAML;
DRUP, IMPRESS-Norway and NCI-MATCH are bundled) and prints candidate drug
and cohort assignments for a molecular tumour board, with the alteration
that triggered each and what was ruled out and why (text, TSV or JSON).")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_PRE_BUILD_SCRIPTS ${CMAKE_CURRENT_LIST_DIR}/deb-changelog.cmake)
include(CPack)
