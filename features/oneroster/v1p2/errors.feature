Feature: OneRoster 1.2 error answers
  Unknown objects answer 404 with the bare imsx status object of 1.2 (codeMajor failure, severity
  error, code minor unknownobject); 401 and 403 answers carry their code minors.

  Background:
    Given the OneRoster 1.2 provider under test

  @req:OR12-SP-ERR-001 @must @spec:or12-oas#getUser
  Scenario: Unknown objects answer 404 on every single-object endpoint
    Then GET "orgs/<unknown>" is answered 404
    And GET "schools/<unknown>" is answered 404
    And GET "academicSessions/<unknown>" is answered 404
    And GET "terms/<unknown>" is answered 404
    And GET "gradingPeriods/<unknown>" is answered 404
    And GET "courses/<unknown>" is answered 404
    And GET "classes/<unknown>" is answered 404
    And GET "users/<unknown>" is answered 404
    And GET "students/<unknown>" is answered 404
    And GET "teachers/<unknown>" is answered 404
    And GET "enrollments/<unknown>" is answered 404

  @req:OR12-SP-ERR-002 @must @spec:or12-oas#getUser
  Scenario: The 404 for an unknown object says unknownobject
    Then GET "orgs/<unknown>" says unknown object
    And GET "classes/<unknown>" says unknown object
    And GET "users/<unknown>" says unknown object
    And GET "enrollments/<unknown>" says unknown object

  @req:OR12-SP-ERR-003 @must @spec:or12-oas#imsx_StatusInfoDType
  Scenario: Error answers carry the bare 1.2 status object
    Then error answers carry the version's status body

  @req:OR12-SP-ERR-004 @must @spec:or12-oas#getAllUsers
  Scenario: The 401 answer says unauthorisedrequest
    Then GET "users" with no credentials is answered 401 with code minor "unauthorisedrequest"

  @req:OR12-SP-ERR-005 @must @spec:or12-oas#getStudentsForClass
  Scenario: The 403 answer says forbidden
    Then GET "classes/{class}/students" with a token with only roster-core.readonly is answered 403 with code minor "forbidden"

  @req:OR12-SP-ERR-006 @should @spec:or12-oas#getStudentsForClass
  Scenario: A relationship endpoint under an unknown parent answers 404
    Then GET "classes/{unknown}/students" under an unknown parent is answered 404 unknownobject

  @req:OR12-SP-ERR-007 @must @spec:or12-oas#getStudent
  Scenario: Type-restricted endpoints refuse objects of another type
    Then type-restricted single-object endpoints refuse objects of another type
