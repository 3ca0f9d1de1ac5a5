Feature: Assignment and Grade Services — the tool's token, line item, score and results requests
  A learner launches with the AGS claim (Cert §6.4: a learner launch carrying the lineitems URL
  and the AGS scopes). Plugfest then calls the tool's advantage hook, which makes the tool use
  the services now: it gets an access token from Plugfest's token endpoint, creates a line item,
  posts a score for the learner and reads the results. Plugfest's endpoints answer like a
  conformant platform and record every request; each scenario judges one property of them. A
  tool whose config does not list "ags" in `services` gets not-applicable; without
  `advantage_hook_url` these checks are not assessed.

  Background:
    Given the tool offers AGS
    And the tool's answers to launches can be read
    When a learner launch carrying the service claims is accepted and the tool's advantage hook is called

  @req:AGS-TOOL-TOKEN-001 @must @spec:lti-core-1.3#6.2
  Scenario: The token request is a client-credentials grant with an assertion signed by the tool
    Then the tool's token request passes the check "it is a client-credentials grant with a JWT assertion signed by the tool"

  @req:AGS-TOOL-TOKEN-002 @must @spec:lti-core-1.3#6.2
  Scenario: The client assertion's iss and sub are the client_id
    Then the tool's token request passes the check "the assertion's iss and sub are the client_id"

  @req:AGS-TOOL-TOKEN-003 @must @spec:lti-sec-1.0#4.1.1
  Scenario: The client assertion names the token endpoint and carries iat, exp and jti
    Then the tool's token request passes the check "the assertion's aud, iat, exp and jti are as required"

  @req:AGS-TOOL-TOKEN-004 @must @spec:lti-ags-2.0#3.4.2
  Scenario: Every AGS request uses a token with the scope it needs
    Then every AGS request carries a token with the scope it needs

  @req:AGS-TOOL-LI-001 @must @spec:lti-ags-2.0#3.2.5
  Scenario: A line item is posted in the line item media type
    Then the tool's line item request passes the check "Content-Type is the line item media type"

  @req:AGS-TOOL-LI-002 @must @spec:lti-ags-2.0#3.2.7
  Scenario: A line item has a label and a positive scoreMaximum
    Then the tool's line item request passes the check "label is not blank and scoreMaximum is positive"

  @req:AGS-TOOL-SCORE-001 @must @spec:lti-ags-2.0#3.4.3
  Scenario: A score is posted to the scores URL in the score media type
    Then the tool's score request passes the check "Content-Type is the score media type"

  @req:AGS-TOOL-SCORE-002 @must @spec:lti-ags-2.0#3.4.5
  Scenario: A score names the launch's user
    Then the tool's score request passes the check "userId is the launch's user"

  @req:AGS-TOOL-SCORE-003 @must @spec:lti-ags-2.0#3.4.9
  Scenario: A score's timestamp has sub-second precision and a time zone
    Then the tool's score request passes the check "timestamp has sub-second precision and a time zone"

  @req:AGS-TOOL-SCORE-004 @must @spec:lti-ags-2.0#3.4.7
  Scenario: A score's progress values are from the AGS vocabularies
    Then the tool's score request passes the check "activityProgress and gradingProgress are from the vocabularies"

  @req:AGS-TOOL-SCORE-005 @must @spec:lti-ags-2.0#3.4.4
  Scenario: A score's scoreGiven is not negative and comes with scoreMaximum
    Then the tool's score request passes the check "scoreGiven is not negative and comes with scoreMaximum"

  @req:AGS-TOOL-RES-001 @should @spec:lti-ags-2.0#3.3.4
  Scenario: Results are asked for in the result container media type
    Then the tool's results request passes the check "Accept is the result container media type"
