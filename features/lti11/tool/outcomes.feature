Feature: The tool provider's Basic Outcomes requests are well-formed
  Plugfest hosts a Basic Outcomes service (IG11 §6) and launches a learner in a graded placement
  (lis_outcome_service_url and lis_result_sourcedid). Then it calls the tool's outcomes hook,
  which makes the tool send replaceResult, readResult or deleteResult for that sourcedId, and
  checks the request the service received. Without a hook in the config these checks are not
  assessed.

  Background:
    Given the tool provider's answers to launches can be read
    And the tool provider's outcomes hook is configured
    And a graded learner launch was accepted by the tool provider

  @req:POX-CLIENT-001 @must @spec:lti-1.1-ig#security-for-application-xml-messages
  Scenario: An outcomes request is an XML POST
    When the tool provider is asked to send replaceResult with score "0.85"
    Then the outcomes request is a POST with Content-Type application/xml

  @req:POX-CLIENT-002 @must @spec:lti-1.1-ig#security-for-application-xml-messages
  Scenario: An outcomes request is signed with the shared secret
    When the tool provider is asked to send replaceResult with score "0.85"
    Then the outcomes request's OAuth signature verifies with the shared secret

  @req:POX-CLIENT-003 @must @spec:oauth-body-hash#3.2
  Scenario: An outcomes request carries the hash of its body
    When the tool provider is asked to send replaceResult with score "0.85"
    Then the outcomes request carries an oauth_body_hash that matches its body

  @req:POX-CLIENT-004 @must @spec:lti-1.1-ig#basic-outcomes-service
  Scenario: An outcomes request is valid against the official schema
    When the tool provider is asked to send replaceResult with score "0.85"
    Then the outcomes request is valid against the official Basic Outcomes schema

  @req:POX-CLIENT-005 @must @spec:lti-1.1-ig#basic-outcomes-service
  Scenario: An outcomes request uses the Basic Outcomes namespace
    When the tool provider is asked to send replaceResult with score "0.85"
    Then the outcomes request uses the LTI 1.1 Basic Outcomes namespace

  @req:POX-CLIENT-006 @should @spec:lti-1.1-ig#basic-outcomes-service
  Scenario: Outcomes requests carry the version and a fresh message identifier
    When the tool provider is asked to send replaceResult with score "0.85"
    And the tool provider is asked to send replaceResult with score "0.9"
    Then the outcomes requests carry imsx_version V1.0 and distinct message identifiers

  @req:POX-CLIENT-007 @must @spec:lti-bo-1.1#replaceresult
  Scenario: An outcomes request names the launch's result sourcedId
    When the tool provider is asked to send replaceResult with score "0.85"
    Then the outcomes request names the launch's lis_result_sourcedid

  @req:POX-CLIENT-008 @must @spec:lti-bo-1.1#replaceresult
  Scenario: A replaced score is a decimal from 0.0 to 1.0 with a language
    When the tool provider is asked to send replaceResult with score "0.85"
    Then the replaced score is a decimal from 0.0 to 1.0 with a language

  @req:POX-CLIENT-009 @must @spec:lti-bo-1.1#readresult
  Scenario: A readResult request is well-formed
    When the tool provider is asked to send readResult
    Then the outcomes request is a well-formed "readResultRequest"

  @req:POX-CLIENT-010 @must @spec:lti-bo-1.1#deleteresult
  Scenario: A deleteResult request is well-formed
    When the tool provider is asked to send deleteResult
    Then the outcomes request is a well-formed "deleteResultRequest"
