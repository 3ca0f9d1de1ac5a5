Feature: The consumer's Basic Outcomes service answers as the certification expects
  Plugfest plays the tool: it takes lis_outcome_service_url and lis_result_sourcedid from a
  learner's launch form and sends the service POX requests signed with OAuth 1.0a and an
  oauth_body_hash (the LTI 1.1 consumer certification's tests 8.2 to 8.8, and refusals of
  requests that were altered, replayed or signed wrongly). A POX answer carries its status in
  imsx_codeMajor; HTTP 200 with "failure" is normal.

  Background:
    Given the consumer's learner launch form is fetched

  @req:POX-SVC-001 @must @spec:lti-bo-1.1#replaceresult
  Scenario: replaceResult with a valid score succeeds
    When Plugfest sends replaceResult with score "0.92"
    Then the outcomes service answers "success" with a "replaceResultResponse"

  @req:POX-SVC-002 @must @spec:lti-bo-1.1#readresult
  Scenario: readResult returns the score
    When Plugfest sends replaceResult with score "0.92"
    And Plugfest sends readResult
    Then the outcomes service returns the score "0.92" with a language

  @req:POX-SVC-003 @must @spec:lti-bo-1.1#deleteresult
  Scenario: deleteResult succeeds
    When Plugfest sends replaceResult with score "0.92"
    And Plugfest sends deleteResult
    Then the outcomes service answers "success" with a "deleteResultResponse"

  @req:POX-SVC-004 @must @spec:lti-bo-1.1#readresult
  Scenario: readResult after deleteResult has no score
    When Plugfest sends replaceResult with score "0.92"
    And Plugfest sends deleteResult
    And Plugfest sends readResult
    Then the outcomes service answers "failure" or returns no score

  @req:POX-SVC-005 @must @spec:lti-1.1-ig#basic-outcomes-service
  Scenario: An unknown operation is unsupported
    When Plugfest sends the unknown operation "smurfResultRequest"
    Then the outcomes service answers "unsupported"

  @req:POX-SVC-006 @must @spec:lti-bo-1.1#replaceresult
  Scenario: A score out of range fails
    When Plugfest sends replaceResult with score "42"
    Then the outcomes service answers "failure"

  @req:POX-SVC-007 @must @spec:lti-bo-1.1#replaceresult
  Scenario: A score that is not a number fails
    When Plugfest sends replaceResult with score "smurf"
    Then the outcomes service answers "failure"

  @req:POX-SVC-008 @should @spec:lti-bo-1.1#replaceresult
  Scenario: An unknown sourcedId fails
    When Plugfest sends replaceResult with score "0.5" for an unknown sourcedId
    Then the outcomes service answers "failure"

  @req:POX-SVC-009 @must @spec:oauth-body-hash#3.2
  Scenario: A body changed after signing is refused
    When Plugfest sends replaceResult with score "0.5" and changes the body after signing
    Then the outcomes service refuses the request

  @req:POX-SVC-010 @must @spec:rfc5849#3.2
  Scenario: A wrong signature is refused
    When Plugfest sends replaceResult with score "0.5" signed with a wrong secret
    Then the outcomes service refuses the request

  @req:POX-SVC-011 @must @spec:rfc5849#3.2
  Scenario: A replayed request is refused
    When Plugfest sends replaceResult with score "0.5" twice with the same nonce
    Then the outcomes service refuses the replay

  @req:POX-SVC-012 @should @spec:rfc5849#3.3
  Scenario: A stale timestamp is refused
    When Plugfest sends replaceResult with score "0.5" with a timestamp 3600 seconds old
    Then the outcomes service refuses the request

  @req:POX-SVC-013 @should @spec:lti-1.1-ig#security-for-application-xml-messages
  Scenario: Answers are XML
    When Plugfest sends replaceResult with score "0.92"
    And Plugfest sends readResult
    Then every outcomes answer has Content-Type application/xml

  @req:POX-SVC-014 @must @spec:lti-1.1-ig#basic-outcomes-service
  Scenario: Answers are valid against the official schema
    When Plugfest sends replaceResult with score "0.92"
    And Plugfest sends readResult
    And Plugfest sends deleteResult
    Then every outcomes answer is valid against the official Basic Outcomes schema

  @req:POX-SVC-015 @should @spec:lti-1.1-ig#basic-outcomes-service
  Scenario: Answers echo the request's message identifier
    When Plugfest sends replaceResult with score "0.92"
    And Plugfest sends readResult
    Then every outcomes answer echoes its request's message identifier
