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
