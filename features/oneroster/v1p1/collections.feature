Feature: OneRoster 1.1 endpoints and errors
  Every endpoint answers with its wrapper; unknown objects answer 404 with the statusInfoSet wrapper.

  Background:
    Given the OneRoster 1.1 provider under test

  @req:OR11-SP-COLL-001 @must @spec:or11-rb#endpoints
  Scenario: Every rostering collection answers with its wrapper array
    Then every rostering collection answers 200 with its wrapper array

  @req:OR11-SP-COLL-002 @must @spec:or11-rb#endpoints
  Scenario: Every relationship endpoint answers with its wrapper array
    Then every relationship endpoint answers 200 with its wrapper array

  @req:OR11-SP-COLL-003 @must @spec:or11-rb#endpoints
  Scenario: Relationship endpoints return exactly the related objects
    Then relationship endpoints return exactly the related objects

  @req:OR11-SP-COLL-004 @must @spec:or11-rb#endpoints
  Scenario: Type-restricted collections hold only their type
    Then the type-restricted collections hold only their type

  @req:OR11-SP-COLL-005 @must @spec:or11-rb#endpoints
  Scenario: Single objects equal their collection items
    Then single-object GETs return the collection's object under the singular wrapper

  @req:OR11-SP-ERR-001 @must @spec:or11-rb#status-codes
  Scenario: Unknown objects answer 404
    Then GET "orgs/<unknown>" is answered 404
    And GET "schools/<unknown>" is answered 404
    And GET "academicSessions/<unknown>" is answered 404
    And GET "terms/<unknown>" is answered 404
    And GET "courses/<unknown>" is answered 404
    And GET "classes/<unknown>" is answered 404
    And GET "users/<unknown>" is answered 404
    And GET "students/<unknown>" is answered 404
    And GET "teachers/<unknown>" is answered 404
    And GET "enrollments/<unknown>" is answered 404

  @req:OR11-SP-ERR-002 @must @spec:or11-rb#status-codes
  Scenario: Error answers carry the 1.1 statusInfoSet
    Then GET "users/<unknown>" says unknown object
    And error answers carry the version's status body
