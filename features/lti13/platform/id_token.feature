Feature: The id_token of a resource link launch, for the four certification payloads
  Each check runs on the four launches the certification guide asks for (§5.1.1–§5.1.4): a
  student and an instructor, each with and without personal data. The launches are started
  through the platform's launch trigger (or by a person in manual mode) and each is made once
  per run; every check reads the id_token Plugfest's redirect URI received.

  @req:LTI13-PLAT-IDT-001 @must @spec:lti-sec-1.0#5.1.2
  Scenario Outline: The issuer is the registered issuer
    Given the platform's "<launch>" launch
    Then the launch token's issuer is the registered issuer

    Examples:
      | launch               |
      | student              |
      | student_anonymous    |
      | instructor           |
      | instructor_anonymous |

  @req:LTI13-PLAT-IDT-002 @must @spec:lti-sec-1.0#5.1.2
  Scenario Outline: The audience contains Plugfest's client ID
    Given the platform's "<launch>" launch
    Then the launch token's audience contains Plugfest's client ID

    Examples:
      | launch               |
      | student              |
      | student_anonymous    |
      | instructor           |
      | instructor_anonymous |

  @req:LTI13-PLAT-IDT-003 @must @spec:lti-sec-1.0#5.1.2
  Scenario Outline: An authorized party, when present, is Plugfest's client ID
    Given the platform's "<launch>" launch
    Then the launch token's azp, when present, is Plugfest's client ID

    Examples:
      | launch               |
      | student              |
      | student_anonymous    |
      | instructor           |
      | instructor_anonymous |

  @req:LTI13-PLAT-IDT-004 @must @spec:lti-sec-1.0#5.1.2
  Scenario Outline: The user is identified by a subject of at most 255 ASCII characters
    Given the platform's "<launch>" launch
    Then the launch token's subject is at most 255 ASCII characters

    Examples:
      | launch               |
      | student              |
      | student_anonymous    |
      | instructor           |
      | instructor_anonymous |

  @req:LTI13-PLAT-IDT-005 @must @spec:lti-sec-1.0#5.1.2
  Scenario Outline: Issue and expiry times are current numbers in order
    Given the platform's "<launch>" launch
    Then the launch token's timestamps are current

    Examples:
      | launch               |
      | student              |
      | student_anonymous    |
      | instructor           |
      | instructor_anonymous |

  @req:LTI13-PLAT-IDT-006 @must @spec:lti-sec-1.0#5.1.1.2
  Scenario Outline: The nonce of the authentication request comes back
    Given the platform's "<launch>" launch
    Then the launch token carries the nonce Plugfest sent

    Examples:
      | launch               |
      | student              |
      | student_anonymous    |
      | instructor           |
      | instructor_anonymous |

  @req:LTI13-PLAT-IDT-007 @must @spec:lti-core-1.3#5.3.2
  Scenario Outline: The LTI version is 1.3.0
    Given the platform's "<launch>" launch
    Then the launch token's LTI version is 1.3.0

    Examples:
      | launch               |
      | student              |
      | student_anonymous    |
      | instructor           |
      | instructor_anonymous |

  @req:LTI13-PLAT-IDT-008 @must @spec:lti-core-1.3#5.3.1
  Scenario Outline: The message type is LtiResourceLinkRequest
    Given the platform's "<launch>" launch
    Then the launch token's message type is "LtiResourceLinkRequest"

    Examples:
      | launch               |
      | student              |
      | student_anonymous    |
      | instructor           |
      | instructor_anonymous |

  @req:LTI13-PLAT-IDT-009 @must @spec:lti-core-1.3#5.3.3
  Scenario Outline: The deployment is the registered one
    Given the platform's "<launch>" launch
    Then the launch token names the registered deployment

    Examples:
      | launch               |
      | student              |
      | student_anonymous    |
      | instructor           |
      | instructor_anonymous |

  @req:LTI13-PLAT-IDT-010 @must @spec:lti-core-1.3#5.3.4
  Scenario Outline: The target link is the one the launch was started for
    Given the platform's "<launch>" launch
    Then the launch token's target link is the one of the login initiation

    Examples:
      | launch               |
      | student              |
      | student_anonymous    |
      | instructor           |
      | instructor_anonymous |

  @req:LTI13-PLAT-IDT-011 @must @spec:lti-core-1.3#5.3.5
  Scenario Outline: The resource link has an ID
    Given the platform's "<launch>" launch
    Then the launch token names a resource link ID

    Examples:
      | launch               |
      | student              |
      | student_anonymous    |
      | instructor           |
      | instructor_anonymous |

  @req:LTI13-PLAT-IDT-012 @must @spec:lti-core-1.3#5.3.7
  Scenario Outline: A student launches as a learner, a teacher as an instructor
    Given the platform's "<launch>" launch
    Then the launch token's roles are those of a <role>

    Examples:
      | launch               | role       |
      | student              | learner    |
      | student_anonymous    | learner    |
      | instructor           | instructor |
      | instructor_anonymous | instructor |

  @req:LTI13-PLAT-IDT-013 @must @spec:lti-core-1.3#5.3.7
  Scenario Outline: A non-empty roles list holds a role from the LTI vocabularies
    Given the platform's "<launch>" launch
    Then the launch token's roles include a role from the LTI vocabularies

    Examples:
      | launch               |
      | student              |
      | student_anonymous    |
      | instructor           |
      | instructor_anonymous |

  @req:LTI13-PLAT-IDT-014 @must @spec:lti-core-1.3#5.4.1
  Scenario Outline: The course, when described, has an ID
    Given the platform's "<launch>" launch
    Then the launch token's context, when present, has an ID

    Examples:
      | launch               |
      | student              |
      | student_anonymous    |
      | instructor           |
      | instructor_anonymous |

  @req:LTI13-PLAT-IDT-015 @must @spec:lti-cert-1.3#5.1.1
  Scenario Outline: No value has leading or trailing whitespace
    Given the platform's "<launch>" launch
    Then no value in the launch token has leading or trailing whitespace

    Examples:
      | launch               |
      | student              |
      | student_anonymous    |
      | instructor           |
      | instructor_anonymous |

  @req:LTI13-PLAT-IDT-018 @must @spec:lti-core-1.3#4.3.1
  Scenario Outline: The token is a well-formed resource link request
    Given the platform's "<launch>" launch
    Then the launch token matches Plugfest's schema for "LtiResourceLinkRequest"

    Examples:
      | launch               |
      | student              |
      | student_anonymous    |
      | instructor           |
      | instructor_anonymous |

  @req:LTI13-PLAT-IDT-016 @must @spec:lti-cert-1.3#5.1.2
  Scenario Outline: A launch without personal data carries none
    Given the platform's "<launch>" launch
    Then the launch token carries no personal data of the user

    Examples:
      | launch               |
      | student_anonymous    |
      | instructor_anonymous |

  @req:LTI13-PLAT-IDT-017 @must @spec:lti-cert-1.3#5.1.1
  Scenario Outline: A full launch carries the user's name and email
    Given the platform's "<launch>" launch
    Then the launch token carries the user's name and email

    Examples:
      | launch     |
      | student    |
      | instructor |
