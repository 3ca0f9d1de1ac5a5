Feature: Deep Linking — the tool answers a deep linking request with a signed response
  Plugfest, playing the platform, sends an LtiDeepLinkingRequest through the same OIDC flow as
  a launch (to the tool's deep linking URL), with deep_linking_settings naming Plugfest's
  deep_link_return_url, the accepted content types and an opaque data value. The tool answers
  with an auto-submitted form that posts the LtiDeepLinkingResponse JWT; Plugfest reads that
  form and judges the JWT. A tool whose config does not list "deep-linking" in `services` gets
  not-applicable here.

  Background:
    Given the tool offers deep linking
    And the tool's answers to launches can be read

  @req:DL-TOOL-001 @must @spec:lti-dl-2.0#2.3
  Scenario: The tool posts its response to the deep_link_return_url as a JWT parameter
    When an instructor sends a deep linking request accepting every content type
    Then the tool answers with a form that posts a JWT to the deep_link_return_url

  @req:DL-TOOL-002 @must @spec:lti-sec-1.0#5.2.1
  Scenario: The response is signed with a key of the tool's key set
    When an instructor sends a deep linking request accepting every content type
    Then the deep linking response's signature verifies with the tool's key set

  @req:DL-TOOL-003 @must @spec:lti-sec-1.0#5.2.2
  Scenario: The response is issued by the tool's client_id
    When an instructor sends a deep linking request accepting every content type
    Then the deep linking response passes the check "iss is the tool's client_id"

  @req:DL-TOOL-004 @must @spec:lti-dl-2.0#4.5.1
  Scenario: The response is addressed to the platform's issuer
    When an instructor sends a deep linking request accepting every content type
    Then the deep linking response passes the check "aud is the platform's issuer"

  @req:DL-TOOL-005 @must @spec:lti-sec-1.0#5.2.2
  Scenario: The response carries current iat and exp
    When an instructor sends a deep linking request accepting every content type
    Then the deep linking response passes the check "exp and iat are current"

  @req:DL-TOOL-006 @must @spec:lti-sec-1.0#5.2.2
  Scenario: The response carries a nonce
    When an instructor sends a deep linking request accepting every content type
    Then the deep linking response passes the check "nonce is present"

  @req:DL-TOOL-007 @must @spec:lti-dl-2.0#4.5.2
  Scenario: The response is an LtiDeepLinkingResponse of LTI 1.3.0
    When an instructor sends a deep linking request accepting every content type
    Then the deep linking response passes the check "message_type and version are those of a deep linking response"

  @req:DL-TOOL-008 @must @spec:lti-dl-2.0#4.5.4
  Scenario: The response names the request's deployment
    When an instructor sends a deep linking request accepting every content type
    Then the deep linking response passes the check "deployment_id is the request's"

  @req:DL-TOOL-009 @must @spec:lti-dl-2.0#4.5.5
  Scenario: The response echoes the request's data
    When an instructor sends a deep linking request accepting every content type
    Then the deep linking response passes the check "data is echoed"

  @req:DL-TOOL-010 @must @spec:lti-dl-2.0#3
  Scenario: Every content item is shaped as its type requires
    When an instructor sends a deep linking request accepting every content type
    Then the deep linking response passes the check "every content item is shaped as its type requires"

  @req:DL-TOOL-011 @should @spec:lti-dl-2.0#4.4.1
  Scenario: Only accepted content types are returned
    When an instructor sends a deep linking request accepting only link items
    Then the deep linking response passes the check "every content item is of an accepted type"

  @req:DL-TOOL-012 @should @spec:lti-dl-2.0#4.4.1
  Scenario: A single item is returned when accept_multiple is false
    When an instructor sends a deep linking request accepting every content type and a single item
    Then the deep linking response passes the check "every content item is of an accepted type"
