Feature: Deep Linking: the platform's request and how it takes the tool's response
  Plugfest plays the tool. A deep linking launch brings an LtiDeepLinkingRequest (DL §4.4);
  Plugfest answers by form-posting a signed LtiDeepLinkingResponse to the deep_link_return_url
  (DL §4.5, Security Framework §5.2). A response adds content to a course, so responses are sent
  only with --allow-writes and only from a deep linking launch in the sandbox course, each after
  a fresh deep linking launch. An answer 2xx or 3xx reads as accepted, 4xx as refused.

  @req:DL-PLAT-REQ-001 @must @spec:lti-dl-2.0#4.4.2
  Scenario: The deep linking launch is an LtiDeepLinkingRequest of LTI 1.3.0
    Given the platform's "deep_linking" launch
    Then the launch token's message type is "LtiDeepLinkingRequest"
    And the launch token's LTI version is 1.3.0
    And the launch token names the registered deployment

  @req:DL-PLAT-REQ-002 @must @spec:lti-dl-2.0#4.4.1
  Scenario: The deep linking settings name the return URL, accepted types and targets
    Given the platform's "deep_linking" launch
    Then the deep linking settings name a return URL, accepted types and presentation targets

  @req:DL-PLAT-REQ-003 @must @spec:lti-sec-1.0#5.1.3
  Scenario: The deep linking launch token is signed and current
    Given the platform's "deep_linking" launch
    Then the launch token is signed RS256 with a key of the platform's key set
    And the launch token's timestamps are current

  @req:DL-PLAT-REQ-004 @must @spec:lti-dl-2.0#4.3
  Scenario: The deep linking request is well formed
    Given the platform's "deep_linking" launch
    Then the launch token matches Plugfest's schema for "LtiDeepLinkingRequest"

  @req:DL-PLAT-RESP-001 @must @spec:lti-dl-2.0#4.5
  Scenario: A valid deep linking response is accepted
    Given a fresh deep linking launch in which writes are allowed
    When Plugfest returns a valid deep linking response
    Then the platform accepts the deep linking response

  @req:DL-PLAT-RESP-002 @must @spec:lti-sec-1.0#5.2.3
  Scenario: A deep linking response addressed to another platform is refused
    Given a fresh deep linking launch in which writes are allowed
    When Plugfest returns a deep linking response addressed to another platform
    Then the platform refuses the deep linking response

  @req:DL-PLAT-RESP-003 @must @spec:lti-dl-2.0#4.5.4
  Scenario: A deep linking response naming an unknown deployment is refused
    Given a fresh deep linking launch in which writes are allowed
    When Plugfest returns a deep linking response naming an unknown deployment
    Then the platform refuses the deep linking response

  @req:DL-PLAT-RESP-004 @must @spec:lti-sec-1.0#5.2.3
  Scenario: A deep linking response whose signature does not verify is refused
    Given a fresh deep linking launch in which writes are allowed
    When Plugfest returns a deep linking response whose signature does not verify
    Then the platform refuses the deep linking response

  @req:DL-PLAT-RESP-005 @should @spec:lti-sec-1.0#5.2.3
  Scenario: A replayed deep linking response is refused
    Given a fresh deep linking launch in which writes are allowed
    When Plugfest returns the same valid deep linking response twice
    Then the platform refuses the second deep linking response
