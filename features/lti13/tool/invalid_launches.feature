Feature: Invalid launch tokens are refused
  The tool must validate every id_token it receives (Security Framework §5.1.3) and the
  LTI claims of a resource link launch (Core §5.3). Each scenario breaks one thing in an
  otherwise valid instructor launch.

  Background:
    Given the tool's answers to launches can be read

  @req:LTI13-TOOL-SEC-001 @must @spec:lti-sec-1.0#5.1.3
  Scenario: A token altered after signing is refused
    When an instructor launches with a token with a tampered payload
    Then the tool refuses the launch

  @req:LTI13-TOOL-SEC-002 @must @spec:lti-sec-1.0#5.1.3
  Scenario: An unsigned token (alg none) is refused
    When an instructor launches with a token with alg none
    Then the tool refuses the launch

  @req:LTI13-TOOL-SEC-003 @must @spec:lti-sec-1.0#6.3
  Scenario: A token signed with a key the platform never published is refused
    When an instructor launches with a token with an unknown kid
    Then the tool refuses the launch

  @req:LTI13-TOOL-SEC-004 @must @spec:lti-sec-1.0#5.1.3
  Scenario: An expired token is refused
    When an instructor launches with a token with an expired exp
    Then the tool refuses the launch

  @req:LTI13-TOOL-SEC-005 @must @spec:lti-sec-1.0#5.1.3
  Scenario: A token for another audience is refused
    When an instructor launches with a token with a wrong aud
    Then the tool refuses the launch

  @req:LTI13-TOOL-SEC-006 @should @spec:lti-sec-1.0#5.1.3
  Scenario: The same token posted twice is refused the second time
    When a mentor launches with a valid token
    And the same launch is posted again
    Then the tool refuses the launch

  @req:LTI13-TOOL-SEC-007 @should @spec:lti-sec-1.0#5.1.3
  Scenario: Refusals are clean 4xx answers, not server errors
    When an instructor launches once with each kind of defective token
    Then every refusal among those launches is a 4xx answer

  @req:LTI13-TOOL-MSG-001 @must @spec:lti-core-1.3#5.3.1
  Scenario: A token with an unknown message_type is refused
    When an instructor launches with a token with a wrong message_type
    Then the tool refuses the launch

  @req:LTI13-TOOL-MSG-002 @must @spec:lti-core-1.3#5.3.3
  Scenario: A token without deployment_id is refused
    When an instructor launches with a token with no deployment_id
    Then the tool refuses the launch

  @req:LTI13-TOOL-SEC-008 @must @spec:lti-sec-1.0#6.3
  Scenario: A token without a kid is refused
    When an instructor launches with a token with no kid
    Then the tool refuses the launch

  @req:LTI13-TOOL-SEC-009 @must @spec:lti-sec-1.0#6.1
  Scenario: A token HMAC-signed with the platform's public key is refused (key confusion)
    When an instructor launches with a token with HS256 signed with the platform's public key
    Then the tool refuses the launch

  @req:LTI13-TOOL-SEC-010 @must @spec:lti-sec-1.0#5.1.3
  Scenario: A token from another issuer is refused
    When an instructor launches with a token with a wrong iss
    Then the tool refuses the launch

  @req:LTI13-TOOL-SEC-011 @must @spec:lti-sec-1.0#5.1.3
  Scenario: A token that also names an untrusted audience is refused
    When an instructor launches with a token with an untrusted extra aud
    Then the tool refuses the launch

  @req:LTI13-TOOL-SEC-012 @should @spec:lti-sec-1.0#5.1.3
  Scenario: A token for several audiences without azp is refused
    When an instructor launches with a token with two auds and no azp
    Then the tool refuses the launch

  @req:LTI13-TOOL-SEC-013 @should @spec:lti-sec-1.0#5.1.3
  Scenario: A token whose azp is another client is refused
    When an instructor launches with a token with a wrong azp
    Then the tool refuses the launch

  @req:LTI13-TOOL-SEC-014 @must @spec:lti-sec-1.0#5.1.2
  Scenario: A token without exp is refused
    When an instructor launches with a token with no exp
    Then the tool refuses the launch

  @req:LTI13-TOOL-SEC-015 @must @spec:lti-sec-1.0#5.1.2
  Scenario: A token without iat is refused
    When an instructor launches with a token with no iat
    Then the tool refuses the launch

  @req:LTI13-TOOL-SEC-016 @may @spec:lti-sec-1.0#5.1.3
  Scenario: A token issued a day in the future is refused
    When an instructor launches with a token with an iat a day in the future
    Then the tool refuses the launch

  @req:LTI13-TOOL-SEC-017 @must @spec:lti-sec-1.0#5.1.3
  Scenario: A token without nonce is refused
    When an instructor launches with a token with no nonce
    Then the tool refuses the launch

  @req:LTI13-TOOL-SEC-018 @should @spec:lti-sec-1.0#5.1.3
  Scenario: A new token that reuses an earlier launch's nonce is refused
    When a mentor launches with a valid token
    And a new launch reuses the nonce of that launch
    Then the tool refuses the launch

  @req:LTI13-TOOL-SEC-019 @must @spec:lti-sec-1.0#5.1.1.2
  Scenario: A token whose nonce the tool never issued is refused
    When an instructor launches with a token with a nonce the tool never issued
    Then the tool refuses the launch

  @req:LTI13-TOOL-SEC-020 @should @spec:lti-sec-1.0#5.1.1.4
  Scenario: A launch posted without its state is refused
    When an instructor launches with a valid token but without the state
    Then the tool refuses the launch

  @req:LTI13-TOOL-SEC-021 @should @spec:lti-sec-1.0#5.1.1.4
  Scenario: A launch posted with a forged state is refused
    When an instructor launches with a valid token but with a state the tool never issued
    Then the tool refuses the launch

  @req:LTI13-TOOL-SEC-022 @should @spec:lti-sec-1.0#5.1.1.4
  Scenario: A launch posted from a browser without the login cookie is refused
    When an instructor launches with a valid token but from a browser without the login cookie
    Then the tool refuses the launch

  @req:LTI13-TOOL-MSG-003 @must @spec:lti-core-1.3#5.3.3
  Scenario: A token from an unknown deployment is refused
    When an instructor launches with a token with an unknown deployment_id
    Then the tool refuses the launch

  @req:LTI13-TOOL-MSG-004 @must @spec:lti-core-1.3#5.3.1
  Scenario: A token without message_type is refused
    When an instructor launches with a token with no message_type
    Then the tool refuses the launch

  @req:LTI13-TOOL-MSG-005 @must @spec:lti-core-1.3#5.3.2
  Scenario: A token for another LTI version is refused
    When an instructor launches with a token with a wrong version
    Then the tool refuses the launch

  @req:LTI13-TOOL-MSG-006 @must @spec:lti-core-1.3#5.3.2
  Scenario: A token without version is refused
    When an instructor launches with a token with no version
    Then the tool refuses the launch

  @req:LTI13-TOOL-MSG-007 @must @spec:lti-core-1.3#5.3.5
  Scenario: A token without resource_link id is refused
    When an instructor launches with a token with no resource_link id
    Then the tool refuses the launch

  @req:LTI13-TOOL-MSG-008 @must @spec:lti-core-1.3#5.3.4
  Scenario: A token whose target_link_uri differs from the login's is refused
    When an instructor launches with a token with a different target_link_uri
    Then the tool refuses the launch

  @req:LTI13-TOOL-MSG-009 @must @spec:lti-core-1.3#5.3.7
  Scenario: A token without a roles claim is refused
    When an instructor launches with a token with no roles claim
    Then the tool refuses the launch

  @req:LTI13-TOOL-MSG-011 @must @spec:lti-core-1.3#5.3
  Scenario: A token with none of the LTI claims is refused
    When an instructor launches with a token with no LTI claims
    Then the tool refuses the launch

  @req:LTI13-TOOL-MSG-012 @may @spec:lti-core-1.3#5.3.5
  Scenario: A resource_link id over 255 characters is refused
    When an instructor launches with a token with a resource_link id over 255 characters
    Then the tool refuses the launch
