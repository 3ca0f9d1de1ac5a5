Feature: OneRoster 1.2 resources
  Optional service: not-applicable when not claimed and absent (404).

  Background:
    Given the OneRoster 1.2 provider under test
    And the provider offers the resources service

  @req:OR12-SP-RES-001 @must @spec:or12-res-oas#getAllResources
  Scenario: Resources conform
    Then every resource object conforms to its schema

  @req:OR12-SP-RES-002 @must @spec:or12-res-oas#getResource
  Scenario: Single resources and unknown ones
    Then a single resource is returned under the resource wrapper and an unknown one answers 404

  @req:OR12-SP-RES-003 @must @spec:or12-res-oas#getResourcesForClass
  Scenario: Resources of a class and a course
    Then the resources of a class and of a course answer 200 with the resources wrapper
