Feature: The platform's key set and the signature of its launches
  Plugfest plays the tool registered at the platform. It fetches the platform's key set (Security
  Framework §6.3) and verifies every launch token with the key its kid names (§5.1.3 step 1).

  @req:LTI13-PLAT-KEY-001 @must @spec:lti-sec-1.0#6.3
  Scenario: The key set can be fetched and is a JWK set
    When the platform's key set is fetched
    Then it is a JSON Web Key set

  @req:LTI13-PLAT-KEY-002 @must @spec:lti-sec-1.0#6.2
  Scenario: Every key of the platform is an RS256 signing key with a kid
    When the platform's key set is fetched
    Then every key is an RS256 signing key with a kid

  @req:LTI13-PLAT-KEY-003 @must @spec:lti-sec-1.0#6
  Scenario: The platform's key set holds no private key material
    When the platform's key set is fetched
    Then no key carries private key material

  @req:LTI13-PLAT-KEY-004 @must @spec:lti-sec-1.0#5.1.3
  Scenario Outline: A launch token is signed RS256 by a key of the key set
    Given the platform's "<launch>" launch
    Then the launch token is signed RS256 with a key of the platform's key set

    Examples:
      | launch               |
      | student              |
      | student_anonymous    |
      | instructor           |
      | instructor_anonymous |
