Feature: Invalid LTI 1.1 launches are refused
  The legacy LTI certification's section 1 and OAuth 1.0a's verification rules (RFC 5849 §3.2):
  a launch with a bad signature, an unknown key, a stale, future or replayed nonce and
  timestamp, or without the required LTI parameters must not sign anyone in. A redirect to the
  consumer's return URL counts as a refusal.

  Background:
    Given the tool provider's answers to launches can be read

  @req:LTI11-TP-INV-001 @must @spec:lti-1.1-ig#basic-launch-data
  Scenario: No resource_link_id
    Given an instructor launch on resource link "A"
    And the launch has no "resource_link_id"
    When the launch is posted to the tool provider
    Then the tool provider refuses the launch

  @req:LTI11-TP-RET-001 @should @spec:lti-1.1-ig#basic-launch-data
  Scenario: A refused launch returns the user to the consumer with an error message
    Given an instructor launch on resource link "A"
    And the launch has no "resource_link_id"
    When the launch is posted to the tool provider
    Then the tool provider sends the user to the return URL with an lti_errormsg

  @req:LTI11-TP-INV-002 @must @spec:lti-1.1-cert#1.2
  Scenario: No resource_link_id and no return URL
    Given an instructor launch on resource link "A"
    And the launch has no "resource_link_id, launch_presentation_return_url"
    When the launch is posted to the tool provider
    Then the tool provider refuses the launch cleanly

  @req:LTI11-TP-INV-003 @must @spec:rfc5849#3.2
  Scenario: An unknown consumer key
    Given an instructor launch on resource link "A"
    And the launch uses an unknown consumer key
    When the launch is posted to the tool provider
    Then the tool provider refuses the launch

  @req:LTI11-TP-INV-004 @must @spec:rfc5849#3.2
  Scenario: An invalid signature
    Given an instructor launch on resource link "A"
    And the launch is signed with a wrong secret
    When the launch is posted to the tool provider
    Then the tool provider refuses the launch

  @req:LTI11-TP-INV-005 @must @spec:lti-1.1-ig#basic-launch-data
  Scenario: An invalid lti_version
    Given an instructor launch on resource link "A"
    And the launch's "lti_version" is "LTI-9p9"
    When the launch is posted to the tool provider
    Then the tool provider refuses the launch

  @req:LTI11-TP-INV-006 @must @spec:lti-1.1-ig#basic-launch-data
  Scenario: A wrong lti_version
    Given an instructor launch on resource link "A"
    And the launch's "lti_version" is "LTI-2p0"
    When the launch is posted to the tool provider
    Then the tool provider refuses the launch

  @req:LTI11-TP-INV-007 @must @spec:lti-1.1-ig#basic-launch-data
  Scenario: No lti_version
    Given an instructor launch on resource link "A"
    And the launch has no "lti_version"
    When the launch is posted to the tool provider
    Then the tool provider refuses the launch

  @req:LTI11-TP-INV-008 @must @spec:lti-1.1-ig#basic-launch-data
  Scenario: An invalid lti_message_type
    Given an instructor launch on resource link "A"
    And the launch's "lti_message_type" is "basic-lti-launch-request-bogus"
    When the launch is posted to the tool provider
    Then the tool provider refuses the launch

  @req:LTI11-TP-INV-009 @must @spec:lti-1.1-ig#basic-launch-data
  Scenario: No lti_message_type
    Given an instructor launch on resource link "A"
    And the launch has no "lti_message_type"
    When the launch is posted to the tool provider
    Then the tool provider refuses the launch

  @req:LTI11-TP-SEC-001 @should @spec:rfc5849#3.3
  Scenario: A timestamp an hour old
    Given an instructor launch on resource link "A"
    And the launch's timestamp is 3600 seconds in the past
    When the launch is posted to the tool provider
    Then the tool provider refuses the launch

  @req:LTI11-TP-SEC-002 @should @spec:rfc5849#3.3
  Scenario: A timestamp an hour in the future
    Given an instructor launch on resource link "A"
    And the launch's timestamp is 3600 seconds in the future
    When the launch is posted to the tool provider
    Then the tool provider refuses the launch

  @req:LTI11-TP-SEC-003 @must @spec:rfc5849#3.2
  Scenario: A replayed launch
    Given an instructor launch on resource link "A"
    And the launch is posted to the tool provider
    And the tool provider accepts the launch
    When the same signed launch is posted again
    Then the tool provider refuses the launch

  @req:LTI11-TP-SEC-004 @must @spec:rfc5849#3.4
  Scenario: The declared signature method is the one verified
    Given an instructor launch on resource link "A"
    And the launch declares HMAC-SHA256 but is signed with HMAC-SHA1
    When the launch is posted to the tool provider
    Then the tool provider refuses the launch

  @req:LTI11-TP-SEC-005 @must @spec:rfc5849#3.2
  Scenario: A parameter changed after signing
    Given a learner launch on resource link "A"
    And the launch's roles are changed to "Administrator" after signing
    When the launch is posted to the tool provider
    Then the tool provider refuses the launch
