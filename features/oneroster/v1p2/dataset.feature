Feature: OneRoster 1.2 objects and dataset integrity
  Every object of every rostering collection is validated against the project's JSON Schemas
  (schemas/json/oneroster/v1p2/), and the dataset is checked as a whole with compact indexes.

  Background:
    Given the OneRoster 1.2 provider under test

  @req:OR12-SP-OBJ-001 @must @spec:or12-oas#OrgDType
  Scenario: Every org object conforms to its schema
    Then every org object conforms to its schema

  @req:OR12-SP-OBJ-002 @must @spec:or12-oas#AcademicSessionDType
  Scenario: Every academicSession object conforms to its schema
    Then every academicSession object conforms to its schema

  @req:OR12-SP-OBJ-003 @must @spec:or12-oas#CourseDType
  Scenario: Every course object conforms to its schema
    Then every course object conforms to its schema

  @req:OR12-SP-OBJ-004 @must @spec:or12-oas#ClassDType
  Scenario: Every class object conforms to its schema
    Then every class object conforms to its schema

  @req:OR12-SP-OBJ-005 @must @spec:or12-oas#UserDType
  Scenario: Every user object conforms to its schema
    Then every user object conforms to its schema

  @req:OR12-SP-OBJ-006 @must @spec:or12-oas#EnrollmentDType
  Scenario: Every enrollment object conforms to its schema
    Then every enrollment object conforms to its schema

  @req:OR12-SP-OBJ-007 @must @spec:or12-oas#DemographicsDType
  Scenario: Every demographics object conforms to its schema
    Given the provider offers the demographics service
    Then every demographics object conforms to its schema

  @req:OR12-SP-DATA-001 @must @spec:or12-im#sourcedid
  Scenario: sourcedIds are unique
    Then sourcedIds are unique within each collection

  @req:OR12-SP-DATA-002 @must @spec:or12-im#guidref
  Scenario: Every reference resolves
    Then every reference resolves to an object the provider serves

  @req:OR12-SP-DATA-003 @must @spec:or12-im#guidref
  Scenario: References point to the right type
    Then references point to objects of the right type

  @req:OR12-SP-DATA-004 @should @spec:or12-oas#UserDType
  Scenario: Booleans are strings
    Then boolean values are the strings "true" and "false"

  @req:OR12-SP-DATA-005 @must @spec:or12-im#academicsession
  Scenario: Dates are coherent
    Then session and enrollment dates are coherent

  @req:OR12-SP-DATA-006 @should @spec:or12-rb#filtering
  Scenario: tobedeleted objects are still returned
    Then objects marked tobedeleted are still returned by the collections

  @req:OR12-SP-DATA-007 @should @spec:or12-oas#UserDType
  Scenario: dateLastModified is UTC
    Then dateLastModified values are UTC instants

  @req:OR12-SP-DATA-008 @should @spec:or12-oas#RoleDType
  Scenario: At most one primary role per org
    Then each user has at most one primary role per org

  @req:OR12-SP-DATA-009 @should @spec:or12-oas#OrgGUIDRefDType
  Scenario: hrefs lead to their objects
    Then references' hrefs lead to the referenced objects
