Feature: OneRoster 1.1 objects and dataset integrity
  Objects validated against schemas/json/oneroster/v1p1/; references resolved with compact indexes.

  Background:
    Given the OneRoster 1.1 provider under test

  @req:OR11-SP-OBJ-001 @must @spec:or11-rb#org
  Scenario: Every org object conforms to its schema
    Then every org object conforms to its schema

  @req:OR11-SP-OBJ-002 @must @spec:or11-rb#academicsession
  Scenario: Every academicSession object conforms to its schema
    Then every academicSession object conforms to its schema

  @req:OR11-SP-OBJ-003 @must @spec:or11-rb#course
  Scenario: Every course object conforms to its schema
    Then every course object conforms to its schema

  @req:OR11-SP-OBJ-004 @must @spec:or11-rb#class
  Scenario: Every class object conforms to its schema
    Then every class object conforms to its schema

  @req:OR11-SP-OBJ-005 @must @spec:or11-rb#user
  Scenario: Every user object conforms to its schema
    Then every user object conforms to its schema

  @req:OR11-SP-OBJ-006 @must @spec:or11-rb#enrollment
  Scenario: Every enrollment object conforms to its schema
    Then every enrollment object conforms to its schema

  @req:OR11-SP-DATA-001 @must @spec:or11-rb#sourcedid
  Scenario: sourcedIds are unique
    Then sourcedIds are unique within each collection

  @req:OR11-SP-DATA-002 @must @spec:or11-rb#guidref
  Scenario: Every reference resolves
    Then every reference resolves to an object the provider serves

  @req:OR11-SP-DATA-003 @must @spec:or11-rb#academicsession
  Scenario: Dates are coherent
    Then session and enrollment dates are coherent
