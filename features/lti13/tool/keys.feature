Feature: Keys — the tool's key set, and the platform's key rotation
  A tool that signs messages (deep linking responses, service requests) publishes its public
  keys as a JWK set (Security Framework §6.2–§6.3). When the platform rotates its key, it
  publishes the new key under a new kid and the tool fetches the set again (§6.4).

  @req:LTI13-TOOL-KEY-001 @must @spec:lti-sec-1.0#6.3
  Scenario: The tool's key set can be fetched and is a JWK set
    When the tool's key set is fetched
    Then it is a JSON Web Key set

  @req:LTI13-TOOL-KEY-002 @must @spec:lti-sec-1.0#6.3
  Scenario: Every key of the tool is an RS256 signing key with a kid
    When the tool's key set is fetched
    Then every key is an RS256 signing key with a kid

  @req:LTI13-TOOL-KEY-003 @must @spec:lti-sec-1.0#6.2
  Scenario: The tool's key set holds no private key material
    When the tool's key set is fetched
    Then no key carries private key material

  @req:LTI13-TOOL-KEY-004 @should @spec:lti-sec-1.0#6.4
  Scenario: A launch signed with the platform's rotated key is accepted
    Given the tool's answers to launches can be read
    And the platform has rotated its signing key
    When a mentor launches with a valid token signed by the new key
    Then the tool accepts the launch
