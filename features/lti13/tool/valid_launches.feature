Feature: Valid launches are accepted
  A launch is the platform's form post of a signed id_token to the tool's redirect URI,
  in the browser that started the login (its cookies carried along). Before any launch
  check, Plugfest calibrates its reading of the tool: one dedicated valid launch must
  read "accepted" and one launch with a token that is not a JWT must read "refused".

  Background:
    Given the tool's answers to launches can be read

  @req:LTI13-TOOL-LAUNCH-001 @must @spec:lti-core-1.3#5.3
  Scenario: A valid instructor launch is accepted
    When an instructor launches with a valid token
    Then the tool accepts the launch

  @req:LTI13-TOOL-LAUNCH-002 @must @spec:lti-core-1.3#5.3
  Scenario: A valid learner launch is accepted
    When a learner launches with a valid token
    Then the tool accepts the launch

  @req:LTI13-TOOL-SUB-001 @must @spec:lti-core-1.3#5.3.6.1
  Scenario: A launch without sub is an anonymous launch (Core reading)
    When an anonymous user launches with a valid token
    Then the tool accepts the launch

  @req:LTI13-TOOL-SUB-001-CERT @should @spec:lti-cert-1.3#6.1.1
  Scenario: A launch without sub is refused (certification-guide reading)
    When an anonymous user launches with a valid token
    Then the tool refuses the launch
