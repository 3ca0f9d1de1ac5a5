Feature: OneRoster 1.2 authentication and scopes
  Plugfest obtains OAuth 2 client-credentials tokens with HTTP Basic client authentication, one per
  scope set, and checks that each operation enforces the scopes the 1.2 OpenAPI lists for it.

  Background:
    Given the OneRoster 1.2 provider under test

  @req:OR12-SP-AUTH-001 @must @spec:lti-sec-1.0#4.1
  Scenario: The token endpoint issues a bearer token
    Then the token endpoint issues a bearer token for the client credentials

  @req:OR12-SP-AUTH-002 @must @spec:lti-sec-1.0#4.1
  Scenario: The token endpoint refuses a wrong client secret
    Then the token endpoint refuses a wrong client secret

  @req:OR12-SP-AUTH-003 @must @spec:or12-oas#getAllUsers
  Scenario: A request without a token is refused with 401
    Then GET "users" with no credentials is answered 401

  @req:OR12-SP-AUTH-004 @must @spec:rfc6750#3.1
  Scenario: A request with an invalid token is refused with 401
    Then GET "users" with an invalid bearer token is answered 401

  @req:OR12-SP-AUTH-005 @must @spec:or12-oas#getAllUsers
  Scenario: A roster-core token reads the core collections
    Then GET "users" with a token with only roster-core.readonly is answered 200
    And GET "classes/{class}" with a token with only roster-core.readonly is answered 200

  @req:OR12-SP-AUTH-006 @must @spec:or12-oas#getStudentsForClass
  Scenario: A roster-core token is refused on relationship endpoints
    Then GET "classes/{class}/students" with a token with only roster-core.readonly is answered 403

  @req:OR12-SP-AUTH-007 @must @spec:or12-oas#getStudentsForClass
  Scenario: A roster token reads the relationship endpoints
    Then GET "classes/{class}/students" with a token with only roster.readonly is answered 200

  @req:OR12-SP-AUTH-008 @must @spec:or12-oas#getAllDemographics
  Scenario: Demographics need the demographics scope
    Given the provider offers the demographics service
    Then GET "demographics" with a rostering token is answered 403
