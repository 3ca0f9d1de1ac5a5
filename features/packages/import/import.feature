Feature: The product imports conformant packages and refuses broken ones
  Plugfest posts its own packages to the product's import endpoint: a valid QTI 2.1 package and
  a valid Common Cartridge 1.3 (both pass `plugfest validate`), and packages broken in one way
  each. Imports are writes: they run only with --allow-writes, into the sandbox the config
  names, and every package the product accepted is deleted again, the deletion recorded.

  Background:
    Given imports may be written to the product's sandbox

  @req:PKG-IMPORT-001 @must @spec:cc-1.1-conformance#1.3
  Scenario: A valid QTI 2.1 package is imported
    When Plugfest imports its valid QTI 2.1 package
    Then the product accepts the import

  @req:PKG-IMPORT-002 @must @spec:cc-1.1-conformance#1.3
  Scenario: A valid Common Cartridge 1.3 is imported
    When Plugfest imports its valid Common Cartridge 1.3
    Then the product accepts the import

  @req:PKG-IMPORT-003 @should @spec:cc-1.1-conformance#1.1.8
  Scenario: A package missing a file its manifest lists is refused
    When Plugfest imports a package whose manifest lists a missing file
    Then the product refuses the import

  @req:PKG-IMPORT-004 @should @spec:cc-1.1-conformance#1.1.8
  Scenario: An item answering to an undeclared response is refused
    When Plugfest imports a package with an item whose responseIdentifier is undeclared
    Then the product refuses the import

  @req:PKG-IMPORT-005 @must @spec:zip-appnote#4.4.17.1
  Scenario: A package with a file name escaping the package is refused
    When Plugfest imports a package with an entry named "../outside.txt"
    Then the product refuses the import

  @req:PKG-IMPORT-006 @should @spec:cc-1.1-conformance#1.1.8
  Scenario: A file that is not a package is refused
    When Plugfest imports a file that is not a zip
    Then the product refuses the import

  @req:PKG-IMPORT-007 @should @spec:cc-1.1-conformance#1.3.5
  Scenario: Refusals are client errors with a message
    When Plugfest imports a package whose manifest lists a missing file
    Then the product refuses the import with a 4xx answer that carries a message
