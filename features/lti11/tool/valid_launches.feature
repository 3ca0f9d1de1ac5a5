Feature: Valid LTI 1.1 launches are accepted
  Plugfest plays the tool consumer (the LMS): it signs basic launch requests with OAuth 1.0a
  (HMAC-SHA1 unless a scenario says otherwise) and form-posts them to the tool's launch URL.
  Before any launch check, Plugfest calibrates its reading of the tool: one valid launch must
  read "accepted" and one post without any launch or OAuth parameter must read "refused".

  Background:
    Given the tool provider's answers to launches can be read

  @req:LTI11-TP-VALID-001 @must @spec:lti-1.1-ig#basic-launch-data
  Scenario: An instructor launch is accepted
    Given an instructor launch on resource link "A"
    When the launch is posted to the tool provider
    Then the tool provider accepts the launch

  @req:LTI11-TP-VALID-002 @must @spec:lti-1.1-ig#basic-launch-data
  Scenario: An instructor launch on a second resource link is accepted
    Given an instructor launch on resource link "A"
    And the launch is posted to the tool provider
    And an instructor launch on resource link "B"
    When the launch is posted to the tool provider
    Then the tool provider accepts the launch

  @req:LTI11-TP-VALID-003 @must @spec:lti-1.1-ig#basic-launch-data
  Scenario: A learner launch is accepted
    Given a learner launch on resource link "A"
    When the launch is posted to the tool provider
    Then the tool provider accepts the launch

  @req:LTI11-TP-VALID-004 @must @spec:lti-1.1-ig#basic-launch-data
  Scenario: A learner launch on a second resource link is accepted
    Given a learner launch on resource link "A"
    And the launch is posted to the tool provider
    And a learner launch on resource link "B"
    When the launch is posted to the tool provider
    Then the tool provider accepts the launch

  @req:LTI11-TP-SIG-001 @should @spec:rfc5849#3.4
  Scenario: A launch signed with HMAC-SHA256 is accepted
    Given an instructor launch on resource link "A"
    And the launch is signed with HMAC-SHA256
    When the launch is posted to the tool provider
    Then the tool provider accepts the launch

  @req:LTI11-TP-ENC-001 @must @spec:rfc5849#3.6
  Scenario: Values with spaces, reserved and non-ASCII characters are signed and accepted
    Given an instructor launch on resource link "A"
    And the launch also carries "custom_note=Fractions%20%26%20decimals%3A%2050%25%20%3D%20%C2%BD%20%2F%20%22half%22%2Bmore%20%C3%A9t%C3%A9"
    When the launch is posted to the tool provider
    Then the tool provider accepts the launch

  @req:LTI11-TP-ENC-002 @must @spec:rfc5849#3.4.1.3.2
  Scenario: Parameters whose names share a prefix are sorted by name
    Given an instructor launch on resource link "A"
    And the launch also carries "custom_a=first&custom_a1=second"
    When the launch is posted to the tool provider
    Then the tool provider accepts the launch

  @req:LTI11-TP-ENC-003 @must @spec:rfc5849#3.4.1.3.2
  Scenario: A repeated parameter name is sorted by value
    Given an instructor launch on resource link "A"
    And the launch also carries "custom_tag=zeta&custom_tag=alpha"
    When the launch is posted to the tool provider
    Then the tool provider accepts the launch
