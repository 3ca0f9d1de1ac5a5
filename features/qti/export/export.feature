Feature: The product's QTI export is a conformant content package
  Plugfest downloads the QTI export the config names (with its token, when one is given) and
  checks it as `plugfest validate` does: zip safety and package structure, the official XSDs
  through libxml2 and the catalog, and the QTI semantic rules. The findings are the evidence.

  Background:
    Given the product's QTI export is downloaded

  @req:PKG-EXPORT-QTI-001 @must @spec:ims-cp-1.1.4#package-interchange-file
  Scenario: The QTI export is a readable package
    Then the export is a readable package

  @req:PKG-EXPORT-QTI-002 @must @spec:ims-cp-1.1.4#manifest.resources.resource.file.href
  Scenario: The QTI export is a safe and complete content package
    Then the export has no zip-safety or package-structure finding at MUST level

  @req:PKG-EXPORT-QTI-003 @must @spec:qti-2.1-xsd#imsqti_v2p1.xsd
  Scenario: The QTI export is valid against the official schemas
    Then every document of the export is valid against its official schema

  @req:PKG-EXPORT-QTI-004 @must @spec:qti-2.1#assessmentItem
  Scenario: The QTI export's items and tests are consistent
    Then the export has no semantic finding at MUST level
