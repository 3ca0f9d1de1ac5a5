Feature: OneRoster 1.2 endpoints
  Every collection, relationship and single-object endpoint of the rostering service answers with
  its documented wrapper. The collections are walked once per run (the integrity pass).

  Background:
    Given the OneRoster 1.2 provider under test

  @req:OR12-SP-COLL-001 @must @spec:or12-oas#paths
  Scenario: Every rostering collection answers with its wrapper array
    Then every rostering collection answers 200 with its wrapper array

  @req:OR12-SP-COLL-002 @must @spec:or12-oas#getClassesForSchool
  Scenario: Every relationship endpoint answers with its wrapper array
    Then every relationship endpoint answers 200 with its wrapper array

  @req:OR12-SP-COLL-003 @must @spec:or12-oas#getStudentsForClass
  Scenario: Relationship endpoints return exactly the related objects
    Then relationship endpoints return exactly the related objects

  @req:OR12-SP-COLL-004 @must @spec:or12-oas#getAllStudents
  Scenario: Type-restricted collections hold only their type
    Then the type-restricted collections hold only their type

  @req:OR12-SP-COLL-005 @must @spec:or12-oas#getUser
  Scenario: Single objects equal their collection items
    Then single-object GETs return the collection's object under the singular wrapper

  @req:OR12-SP-HDR-001 @must @spec:or12-oas#paths
  Scenario: Answers are JSON
    Then every answer is JSON with Content-Type application/json

  @req:OR12-SP-HDR-002 @must @spec:or12-rb#error-handling
  Scenario: Unusual requests never produce a server error
    Then unusual but well-formed requests never produce a server error
