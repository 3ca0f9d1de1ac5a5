Feature: The product's Common Cartridge export is a conformant cartridge
  Plugfest downloads the cartridge export the config names (with its token, when one is given)
  and checks it as `plugfest validate` does: zip safety and package structure, the official CC
  XSDs through libxml2 and the catalog, and the Common Cartridge rules (Schematron rules in Rust,
  organization, resource types, links).

  Background:
    Given the product's cartridge export is downloaded

  @req:PKG-EXPORT-CC-001 @must @spec:cc-1.1-conformance#1.3
  Scenario: The cartridge export is a readable package
    Then the export is a readable package

  @req:PKG-EXPORT-CC-002 @must @spec:cc-1.1-conformance#1.2.3
  Scenario: The cartridge export is a safe and complete package
    Then the export has no zip-safety or package-structure finding at MUST level

  @req:PKG-EXPORT-CC-003 @must @spec:cc-1.1-conformance#1.2.3
  Scenario: The cartridge export is valid against the official schemas
    Then every document of the export is valid against its official schema

  @req:PKG-EXPORT-CC-004 @must @spec:cc-1.1-ig#4.4.7
  Scenario: The cartridge export obeys the Common Cartridge rules
    Then the export has no semantic finding at MUST level
