# What a target links, directly or through the libraries it links, for the
# dependency check (tests/deps/link_closure_test.sh): a library's users link
# everything in its closure, so a storage engine or server code that appears
# there is a dependency they carry.

# sentinel_link_closure(<target> <out_var>)
# Sets <out_var> to every target and library name reachable from <target>
# through LINK_LIBRARIES and INTERFACE_LINK_LIBRARIES, aliases resolved to
# their targets and $<LINK_ONLY:...> unwrapped; <target> itself left out.
function(sentinel_link_closure target out_var)
  set(seen "")
  set(queue ${target})
  while(queue)
    list(POP_FRONT queue item)
    if(TARGET ${item})
      get_target_property(aliased ${item} ALIASED_TARGET)
      if(aliased)
        set(item ${aliased})
      endif()
    endif()
    if(item IN_LIST seen)
      continue()
    endif()
    list(APPEND seen ${item})
    if(NOT TARGET ${item})
      continue()
    endif()
    get_target_property(type ${item} TYPE)
    set(properties INTERFACE_LINK_LIBRARIES)
    if(NOT type STREQUAL "INTERFACE_LIBRARY")
      list(APPEND properties LINK_LIBRARIES)
    endif()
    foreach(property ${properties})
      get_target_property(dependencies ${item} ${property})
      if(NOT dependencies)
        continue()
      endif()
      foreach(dependency ${dependencies})
        string(REGEX REPLACE "^\\$<LINK_ONLY:(.*)>$" "\\1" dependency
               "${dependency}")
        # Other generator expressions (compiler or platform conditions)
        # name no Sentinel library.
        if(NOT dependency MATCHES "^\\$<")
          list(APPEND queue ${dependency})
        endif()
      endforeach()
    endforeach()
  endwhile()
  list(REMOVE_ITEM seen ${target})
  set(${out_var} ${seen} PARENT_SCOPE)
endfunction()

# sentinel_write_link_closures(<file> <targets...>)
# Writes one line per target: "<target>: <closure, ;-separated>".
function(sentinel_write_link_closures file)
  set(text "")
  foreach(target ${ARGN})
    sentinel_link_closure(${target} closure)
    string(APPEND text "${target}: ${closure}\n")
  endforeach()
  file(WRITE ${file} "${text}")
endfunction()
