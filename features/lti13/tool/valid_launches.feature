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

  # The certification guide's variants (§6.1.2, §6.1.3). Accepting a simple role name or a role
  # from no LTI vocabulary is what certification expects; Core only says tools MAY recognise
  # simple names (Appendix A.2.3), so those two are SHOULD.

  @req:LTI13-TOOL-LAUNCH-003 @must @spec:lti-core-1.3#5.3.7
  Scenario: Valid Instructor Launch with Roles
    When an instructor launches with a valid token with multiple roles
    Then the tool accepts the launch

  @req:LTI13-TOOL-LAUNCH-004 @should @spec:lti-cert-1.3#6.1.2
  Scenario: Valid Instructor Launch Short Role
    When an instructor launches with a valid token with a short role name
    Then the tool accepts the launch

  @req:LTI13-TOOL-LAUNCH-005 @should @spec:lti-cert-1.3#6.1.2
  Scenario: Valid Instructor Launch Unknown Role
    When an instructor launches with a valid token with an unknown role
    Then the tool accepts the launch

  @req:LTI13-TOOL-LAUNCH-006 @must @spec:lti-core-1.3#5.3.7
  Scenario: Valid Instructor Launch No Role
    When an instructor launches with a valid token with no role
    Then the tool accepts the launch

  @req:LTI13-TOOL-LAUNCH-007 @must @spec:lti-core-1.3#5.3.6
  Scenario: Valid Instructor Launch Email Only
    When an instructor launches with a valid token with email only
    Then the tool accepts the launch

  @req:LTI13-TOOL-LAUNCH-008 @must @spec:lti-core-1.3#5.3.6
  Scenario: Valid Instructor Launch Names Only
    When an instructor launches with a valid token with names only
    Then the tool accepts the launch

  @req:LTI13-TOOL-LAUNCH-009 @must @spec:lti-core-1.3#5.3.6
  Scenario: Valid Instructor No PII
    When an instructor launches with a valid token with no personal data
    Then the tool accepts the launch

  @req:LTI13-TOOL-LAUNCH-010 @must @spec:lti-core-1.3#5.4.1
  Scenario: Valid Instructor Email Without Context
    When an instructor launches with a valid token with email and no context
    Then the tool accepts the launch

  @req:LTI13-TOOL-LAUNCH-011 @must @spec:lti-core-1.3#5.3.7
  Scenario: Valid Student Launch with Roles
    When a learner launches with a valid token with multiple roles
    Then the tool accepts the launch

  @req:LTI13-TOOL-LAUNCH-012 @should @spec:lti-cert-1.3#6.1.3
  Scenario: Valid Student Launch Short Role
    When a learner launches with a valid token with a short role name
    Then the tool accepts the launch

  @req:LTI13-TOOL-LAUNCH-013 @should @spec:lti-cert-1.3#6.1.3
  Scenario: Valid Student Launch Unknown Role
    When a learner launches with a valid token with an unknown role
    Then the tool accepts the launch

  @req:LTI13-TOOL-LAUNCH-014 @must @spec:lti-core-1.3#5.3.7
  Scenario: Valid Student Launch No Role
    When a learner launches with a valid token with no role
    Then the tool accepts the launch

  @req:LTI13-TOOL-LAUNCH-015 @must @spec:lti-core-1.3#5.3.6
  Scenario: Valid Student Launch Email Only
    When a learner launches with a valid token with email only
    Then the tool accepts the launch

  @req:LTI13-TOOL-LAUNCH-016 @must @spec:lti-core-1.3#5.3.6
  Scenario: Valid Student Launch Names Only
    When a learner launches with a valid token with names only
    Then the tool accepts the launch

  @req:LTI13-TOOL-LAUNCH-017 @must @spec:lti-core-1.3#5.3.6
  Scenario: Valid Student No PII
    When a learner launches with a valid token with no personal data
    Then the tool accepts the launch

  @req:LTI13-TOOL-LAUNCH-018 @must @spec:lti-core-1.3#5.4.1
  Scenario: Valid Student Email Without Context
    When a learner launches with a valid token with email and no context
    Then the tool accepts the launch
