Feature: OneRoster 1.1 gradebook and resources
  Optional services: not-applicable when not claimed and absent (404).

  Background:
    Given the OneRoster 1.1 provider under test

  @req:OR11-SP-GB-001 @must @spec:or11-rb#gradebook
  Scenario: Gradebook collections conform
    Given the provider offers the gradebook service
    Then every lineItem object conforms to its schema
    And every result object conforms to its schema
    And every category object conforms to its schema

  @req:OR11-SP-GB-002 @must @spec:or11-rb#gradebook
  Scenario: Line items and results written with PUT are stored
    Given the provider offers the gradebook service
    And gradebook writes are allowed in the sandbox class
    Then a line item and a result written with PUT are returned by following GETs

  @req:OR11-SP-GB-003 @must @spec:or11-rb#gradebook
  Scenario: Deleting results and line items
    Given the provider offers the gradebook service
    And gradebook writes are allowed in the sandbox class
    Then deleting a result and a line item answers 204 and removes them

  @req:OR11-SP-RES-001 @must @spec:or11-rb#resources
  Scenario: Resources conform
    Given the provider offers the resources service
    Then every resource object conforms to its schema
